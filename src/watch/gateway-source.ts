import { parseGatewayEvent } from './gateway-wire.js';
import { GatewayView } from './gateway-view.js';
import type { HealthSnapshot, HealthSource, LinkStatus, SyncUpdate } from './health-source.js';
import { UpdateHub } from './update-hub.js';
import { buildRows, trafficTarget } from './rows.js';
import { SseParser } from './sse-parser.js';
import type { WatchEvent } from './watch-events.js';

/** How the gateway source connects. */
export interface GatewaySourceOptions {
  /** The gateway, `http://host:port` (without `/events`). */
  readonly url: string;
  /** Sent as `Authorization: Bearer …` to a gateway with `serve.tokens`. */
  readonly token?: string;
  /** First wait before reconnecting; doubles per failed try up to `maxBackoffMs`. Default 500. */
  readonly backoffMs?: number;
  /** Default 15 000. */
  readonly maxBackoffMs?: number;
  /**
   * A stream silent this long is taken for dead and reconnected: the gateway sends a heartbeat
   * every 15 s, and a half-open TCP connection (a laptop lid closed, a NAT forgetting) says
   * nothing at all. Default 45 000.
   */
  readonly idleTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly historySize?: number;
  readonly eventLimit?: number;
  /** Wall-clock now (tests pin it). */
  readonly dateNow?: () => number;
}

/**
 * Watches a running gateway (`understudy serve`) through its `GET /events` stream: its own
 * breakers, from the snapshot every connection starts with and the events after it, and the
 * latency of its real traffic. The stream is reconnected with backoff whenever it drops; the
 * rows stay as last known meanwhile and the link says so. No controls: the breakers belong to
 * the gateway's engine, not to this process. Call `start()` to connect.
 */
export function createGatewaySource(options: GatewaySourceOptions): HealthSource & { start(): void } {
  const now = options.dateNow ?? Date.now;
  const base = options.url.replace(/\/+$/, '');
  const target = displayUrl(base);
  const fetchFn = options.fetch ?? fetch;
  const view = new GatewayView(options.historySize);
  const hub = new UpdateHub(options.eventLimit);
  const abort = new AbortController();
  let link: LinkStatus = { state: 'connecting', since: now() };
  let syncs = 0;
  let lastSyncAt: number | undefined;
  let traffic: string | undefined;
  let running: Promise<void> | undefined;


  const snapshot = (): HealthSnapshot => {
    const states = view.states();
    const target = trafficTarget(states);
    return {
      rows: buildRows({ states, history: view.history.all(), now: now() }),
      events: hub.recentEvents(),
      ...(target === undefined ? {} : { traffic: target }),
      round: syncs,
      ...(lastSyncAt === undefined ? {} : { lastRoundAt: lastSyncAt }),
      link,
    };
  };

  /** A `traffic` event when where requests go has changed (never for the first snapshot: that is the baseline). */
  function noteTraffic(baseline: boolean): void {
    const current = trafficTarget(view.states());
    if (current === traffic) return;
    const from = traffic;
    traffic = current;
    if (baseline) return;
    hub.pushEvent({ type: 'traffic', at: now(), ...(from === undefined ? {} : { from }), ...(current === undefined ? {} : { to: current }) });
  }

  function onMessage(data: string): void {
    const event = parseGatewayEvent(data);
    if (!event) return;
    if (event.type !== 'snapshot') {
      for (const watchEvent of view.apply(event, now())) hub.pushEvent(watchEvent);
      if (event.type === 'breaker') noteTraffic(false);
      else if (event.type === 'success' || event.type === 'failure') hub.emit({ type: 'changed' });
      return;
    }
    view.applySnapshot(event);
    syncs++;
    lastSyncAt = now();
    noteTraffic(syncs === 1);
    const current = snapshot();
    const update: SyncUpdate = {
      type: 'sync',
      sync: syncs,
      at: lastSyncAt,
      from: 'gateway',
      rows: current.rows,
      trafficKnown: true,
      ...(current.traffic === undefined ? {} : { traffic: current.traffic }),
    };
    hub.emit(update);
  }

  /** One connection, until it ends; resolves why it ended and whether it got as far as a snapshot. */
  async function connectOnce(): Promise<{ detail: string; synced: boolean }> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(abort.signal.reason);
    abort.signal.addEventListener('abort', onAbort, { once: true });
    const idleMs = options.idleTimeoutMs ?? 45_000;
    let idle: NodeJS.Timeout | undefined;
    const resetIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(new IdleError(idleMs)), idleMs);
      idle.unref();
    };
    const syncsBefore = syncs;
    try {
      resetIdle();
      const response = await fetchFn(`${base}/events`, {
        headers: { accept: 'text/event-stream', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        signal: controller.signal,
      });
      if (!response.ok || !response.body || !/^text\/event-stream/.test(response.headers.get('content-type') ?? '')) {
        await response.body?.cancel().catch(() => {});
        return { detail: describeRefusal(response.status, response.ok), synced: false };
      }
      setLink({ state: 'connected', since: now() }, { type: 'link', at: now(), target, state: 'connected' });
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        resetIdle();
        for (const message of parser.push(decoder.decode(chunk, { stream: true }))) onMessage(message.data);
      }
      return { detail: 'the gateway ended the stream', synced: syncs > syncsBefore };
    } catch (error) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
      return { detail: describeFailure(reason), synced: syncs > syncsBefore };
    } finally {
      clearTimeout(idle);
      abort.signal.removeEventListener('abort', onAbort);
      controller.abort();
    }
  }

  function setLink(next: LinkStatus, event?: WatchEvent): void {
    link = next;
    if (event) hub.pushEvent(event);
    else hub.emit({ type: 'changed' });
  }

  async function run(): Promise<void> {
    const first = options.backoffMs ?? 500;
    const max = options.maxBackoffMs ?? 15_000;
    let failures = 0;
    while (!hub.closed) {
      const { detail, synced } = await connectOnce();
      if (hub.closed) return;
      // Backoff restarts once a connection got as far as a snapshot: a gateway that restarts
      // now and then is reconnected quickly, one that stays down is not hammered.
      if (synced) failures = 0;
      const delay = Math.min(max, first * 2 ** failures++);
      const at = now();
      const retryAt = at + delay;
      // One line per outage, not per retry: the board's header counts down to each retry.
      const announce = link.state !== 'disconnected';
      setLink({ state: 'disconnected', since: announce ? at : link.since, detail, retryAt }, announce ? { type: 'link', at, target, state: 'disconnected', detail, retryAt } : undefined);
      await wait(delay, abort.signal);
    }
  }

  return {
    description: 'live events from GET /events',
    attached: target,
    snapshot,
    subscribe(listener) {
      return hub.subscribe(listener);
    },
    start() {
      running ??= run();
    },
    async close() {
      if (!hub.close()) return;
      abort.abort(new Error('watch stopped'));
      await running;
    },
  };
}

class IdleError extends Error {
  constructor(ms: number) {
    super(`no data for ${Math.round(ms / 1000)} s`);
  }
}

function describeRefusal(status: number, ok: boolean): string {
  if (ok) return 'the answer is not an event stream: is this an understudy gateway?';
  if (status === 401 || status === 403) return `${status} from the gateway: set UNDERSTUDY_GATEWAY_TOKEN to one of its serve.tokens`;
  if (status === 404) return '404: no GET /events here; is this an understudy gateway?';
  return `${status} from the gateway`;
}

/** fetch hides the socket error in `cause`; people want `connection refused`, not `fetch failed`. */
function describeFailure(error: unknown): string {
  if (error instanceof IdleError) return error.message;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection lost';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}

/** The URL without user or password, for the header and the lines. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
