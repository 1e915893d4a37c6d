import type { UnderstudyConfig } from '../config/schema.js';
import { systemClock, type Clock } from '../engine/clock.js';
import { createEngine } from '../engine/engine.js';
import type { CheckKind, EngineEvent } from '../engine/types.js';
import { describeError } from '../report/view-model.js';
import { ForcedFailures, forcedFailureFetch, tagProviders } from './forced-failures.js';
import type { HealthSnapshot, HealthSource, ProbeOutcome, RoundUpdate } from './health-source.js';
import { ProbeHistory, DEFAULT_HISTORY_SIZE } from './probe-history.js';
import { ProbeLoop } from './probe-loop.js';
import { UpdateHub } from './update-hub.js';
import { buildRows, trafficTarget } from './rows.js';
import { wallTimeOf } from './wall-time.js';
import { degradedWatchEvent } from './watch-events.js';

/** How the local probe source runs. */
export interface ProbeSourceOptions {
  readonly config: UnderstudyConfig;
  /** Between the end of one round and the start of the next. */
  readonly intervalMs: number;
  /** `models` (free) or `completion` (a 1-token completion: the real path). */
  readonly kind: CheckKind;
  readonly clock?: Clock;
  /** The network (tests inject one); forced failures wrap it. */
  readonly fetch?: typeof fetch;
  readonly historySize?: number;
  /** Events kept for the board. */
  readonly eventLimit?: number;
  /** Wall-clock now, for the clock offset (tests pin it). */
  readonly dateNow?: () => number;
}

/**
 * Probes every provider through one real engine: its breakers are fed by the probes, so an open
 * breaker, its countdown and its half-open trial on the board are the engine's own. Call
 * `start()` to begin the first round.
 */
export function createProbeSource(options: ProbeSourceOptions): HealthSource & { start(): void; idle(): Promise<void> } {
  const clock = options.clock ?? systemClock;
  const wall = wallTimeOf(clock, options.dateNow);
  const forced = new ForcedFailures();
  const history = new ProbeHistory(options.historySize ?? DEFAULT_HISTORY_SIZE);
  const hub = new UpdateHub(options.eventLimit);
  const abort = new AbortController();
  let round = 0;
  let lastRoundAt: number | undefined;


  // The watch is the probe: the engine's own background probe would only double the calls.
  const config = tagProviders({ ...options.config, probe: { ...options.config.probe, intervalMs: 0 } });
  let traffic: string | undefined;
  const engine = createEngine(config, {
    clock,
    fetch: forcedFailureFetch(forced, options.fetch),
    onEvent: (event) => onEngineEvent(event),
  });
  traffic = trafficTarget(engine.state());

  function onEngineEvent(event: EngineEvent): void {
    if (event.type === 'breaker') {
      const cause = event.to === 'open' ? engine.state().find((state) => state.name === event.provider)?.stats.lastError : undefined;
      hub.pushEvent({
        type: 'breaker',
        at: wall.toWall(event.at),
        provider: event.provider,
        from: event.from,
        to: event.to,
        ...(event.retryAt === undefined ? {} : { retryAt: wall.toWall(event.retryAt) }),
        ...(cause ? { cause: describeError(cause) } : {}),
      });
      // After the engine's `recovered`, which follows this event synchronously: the cause first.
      queueMicrotask(noteTraffic);
    } else if (event.type === 'recovered') {
      hub.pushEvent({ type: 'recovered', at: wall.toWall(event.at), provider: event.provider, downForMs: event.downForMs });
    } else if (event.type === 'degraded') {
      hub.pushEvent(degradedWatchEvent(event, wall.toWall(event.at)));
    } else if (event.type === 'failover') {
      hub.pushEvent({ type: 'failover', at: wall.toWall(event.at), from: event.from, to: event.to, reason: event.reason });
    }
  }

  /** Emits a `traffic` event when the provider traffic would go to has changed. */
  function noteTraffic(): void {
    if (hub.closed) return;
    const now = trafficTarget(engine.state());
    if (now === traffic) return;
    const from = traffic;
    traffic = now;
    hub.pushEvent({ type: 'traffic', at: wall.now(), ...(from === undefined ? {} : { from }), ...(now === undefined ? {} : { to: now }) });
  }

  const snapshot = (): HealthSnapshot => {
    const states = engine.state();
    const target = trafficTarget(states);
    return {
      rows: buildRows({ states, history: history.all(), forced: forced.list(), now: clock.now() }),
      events: hub.recentEvents(),
      ...(target === undefined ? {} : { traffic: target }),
      round,
      ...(lastRoundAt === undefined ? {} : { lastRoundAt }),
    };
  };

  async function probeRound(force: boolean): Promise<void> {
    const outcomes = await Promise.all(
      config.providers.map(async ({ name }): Promise<ProbeOutcome> => {
        const attempt = await engine.check(name, options.kind, { signal: abort.signal, force });
        if (attempt.outcome !== 'skipped') history.record(name, { ok: attempt.outcome === 'success', ms: attempt.ms, at: clock.now() });
        return {
          provider: name,
          outcome: attempt.outcome,
          ms: attempt.ms,
          ...(attempt.error ? { error: describeError(attempt.error) } : {}),
          ...(attempt.reason ? { reason: attempt.reason } : {}),
        };
      }),
    );
    if (hub.closed) return;
    round++;
    lastRoundAt = wall.now();
    const current = snapshot();
    const update: RoundUpdate = {
      type: 'round',
      round,
      at: lastRoundAt,
      kind: options.kind,
      outcomes,
      rows: current.rows,
      ...(current.traffic === undefined ? {} : { traffic: current.traffic }),
    };
    hub.emit(update);
  }

  const loop = new ProbeLoop(clock, options.intervalMs, probeRound);
  const providerNamed = (name: string) => {
    if (!config.providers.some((provider) => provider.name === name)) throw new Error(`no provider named "${name}"`);
    return name;
  };

  return {
    description: `probe ${options.kind === 'models' ? 'GET /models' : 'a 1-token completion'} every ${formatInterval(options.intervalMs)}`,
    snapshot,
    subscribe(listener) {
      return hub.subscribe(listener);
    },
    controls: {
      probeAll: () => loop.probeNow(),
      toggleForced(name) {
        const now = forced.toggle(providerNamed(name));
        hub.pushEvent({ type: 'forced', at: wall.now(), provider: name, forced: now });
        return now;
      },
      resetBreaker(name) {
        hub.pushEvent({ type: 'reset', at: wall.now(), provider: providerNamed(name) });
        engine.resetBreaker(name);
        noteTraffic();
      },
    },
    start: () => loop.start(),
    idle: () => loop.idle(),
    async close() {
      // First, so the round that the abort below cuts short reports nothing.
      if (!hub.close()) return;
      loop.stop();
      abort.abort(new Error('watch stopped'));
      engine.close();
      await loop.idle();
    },
  };
}

function formatInterval(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
