import { systemClock, type Clock } from '../engine/clock.js';
import { bounded } from '../shared/bounded.js';
import { createFleetClient, describeRedis } from '../shared/connection.js';
import { listInstances, readFleetBreakers } from '../shared/fleet-view.js';
import { FleetState, type KnownProvider } from './fleet-state.js';
import type { HealthSnapshot, HealthSource, LinkStatus, SyncUpdate } from './health-source.js';
import { ProbeLoop } from './probe-loop.js';
import { UpdateHub } from './update-hub.js';

/** How the fleet source polls. */
export interface FleetSourceOptions {
  /** `redis://[:password@]host:port/db` or `rediss://…`. */
  readonly url: string;
  /** The fleet's key prefix (`understudy:prod`). */
  readonly prefix: string;
  /** Between the end of one poll and the start of the next. */
  readonly intervalMs: number;
  /** The config's providers in failover order; without them only providers seen open are rows. */
  readonly providers?: readonly KnownProvider[];
  /** Bound on each poll's Redis calls. Default 2000: a watcher can wait longer than a request can. */
  readonly timeoutMs?: number;
  readonly eventLimit?: number;
  /** Schedules the polls (tests drive it). */
  readonly clock?: Clock;
  /** Wall-clock now. */
  readonly dateNow?: () => number;
}

/**
 * Watches a fleet (instances sharing breakers through Redis) by polling its shared keys: which
 * breakers are open and until when, and which instances are live by their heartbeats. It reads
 * and never writes: it does not join the fleet, so it is not listed as an instance. Latency is
 * not shared through Redis, so those figures show `—`. Call `start()` to begin polling.
 */
export function createFleetSource(options: FleetSourceOptions): HealthSource & { start(): void; idle(): Promise<void> } {
  const now = options.dateNow ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const target = `${describeRedis(options.url)} (${options.prefix})`;
  const state = new FleetState(options.providers ?? []);
  const hub = new UpdateHub(options.eventLimit);
  let link: LinkStatus = { state: 'connecting', since: now() };
  let lastError: string | undefined;
  let traffic: string | undefined;
  let syncs = 0;
  let lastSyncAt: number | undefined;

  // Settles at the first connection's outcome, either way: a refused one is known at once.
  let firstOutcome: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => (firstOutcome = resolve));
  const client = createFleetClient({
    url: options.url,
    retryMs: Math.min(options.intervalMs, 5_000),
    connectTimeoutMs: timeoutMs,
    // Kept for the next failed poll to explain itself; node-redis reconnects on its own.
    onError: (error) => {
      lastError = describeRedisError(error);
      firstOutcome();
    },
  });
  client.connect().then(firstOutcome, (error: unknown) => {
    lastError = describeRedisError(error);
    firstOutcome();
  });


  const snapshot = (): HealthSnapshot => {
    const current = state.traffic();
    return {
      rows: state.rows(now()),
      events: hub.recentEvents(),
      ...(current === undefined ? {} : { traffic: current }),
      round: syncs,
      ...(lastSyncAt === undefined ? {} : { lastRoundAt: lastSyncAt }),
      link,
      instances: state.instances(),
    };
  };

  async function poll(): Promise<void> {
    let result: Awaited<ReturnType<typeof read>>;
    try {
      result = await read();
    } catch (error) {
      if (hub.closed) return;
      const at = now();
      const detail = client.isReady ? describeRedisError(error) : (lastError ?? 'not connected');
      // One line per outage, not per poll.
      const announce = link.state !== 'disconnected';
      link = { state: 'disconnected', since: announce ? at : link.since, detail, retryAt: at + options.intervalMs };
      if (announce) hub.pushEvent({ type: 'link', at, target, state: 'disconnected', detail, retryAt: link.retryAt! });
      else hub.emit({ type: 'changed' });
      return;
    }
    if (hub.closed) return;
    const at = now();
    if (link.state !== 'connected') {
      link = { state: 'connected', since: at };
      hub.pushEvent({ type: 'link', at, target, state: 'connected' });
    }
    for (const event of state.apply(result.breakers, result.instances, at)) hub.pushEvent(event);
    syncs++;
    lastSyncAt = at;
    noteTraffic(syncs === 1);
    const update: SyncUpdate = {
      type: 'sync',
      sync: syncs,
      at,
      from: 'fleet',
      rows: state.rows(at),
      trafficKnown: (options.providers ?? []).length > 0,
      ...(state.traffic() === undefined ? {} : { traffic: state.traffic()! }),
      instances: state.instances(),
    };
    hub.emit(update);
  }

  /** Both reads, each bounded: a hanging Redis delays a poll by at most `timeoutMs`. */
  async function read() {
    if (!client.isReady) throw new Error('not connected');
    const [breakers, instances] = await Promise.all([
      bounded('readFleetBreakers', timeoutMs, readFleetBreakers(client, options.prefix)),
      bounded('listInstances', timeoutMs, listInstances(client, options.prefix)),
    ]);
    return { breakers, instances };
  }

  function noteTraffic(baseline: boolean): void {
    const current = state.traffic();
    if (current === traffic) return;
    const from = traffic;
    traffic = current;
    if (!baseline) hub.pushEvent({ type: 'traffic', at: now(), ...(from === undefined ? {} : { from }), ...(current === undefined ? {} : { to: current }) });
  }

  const loop = new ProbeLoop(options.clock ?? systemClock, options.intervalMs, async () => {
    // The first poll waits for the first connection (bounded), so a reachable Redis is not
    // reported "not connected" just because the poll beat the handshake.
    if (syncs === 0 && !client.isReady) await bounded('connect', timeoutMs, firstAttempt).catch(() => {});
    await poll();
  });

  return {
    description: `polls the fleet's shared keys every ${options.intervalMs % 1000 === 0 ? `${options.intervalMs / 1000} s` : `${options.intervalMs} ms`}`,
    attached: target,
    snapshot,
    subscribe(listener) {
      return hub.subscribe(listener);
    },
    start: () => loop.start(),
    idle: () => loop.idle(),
    async close() {
      if (!hub.close()) return;
      loop.stop();
      await loop.idle();
      // destroy, not close: a graceful QUIT would wait on a Redis that may be hanging.
      if (client.isOpen) client.destroy();
    },
  };
}

/** Secret-free: node-redis messages name host and port at most, never the URL's password. */
function describeRedisError(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (error instanceof Error && /NOAUTH|WRONGPASS/.test(error.message)) return 'Redis refused the password';
  return error instanceof Error ? error.message : String(error);
}
