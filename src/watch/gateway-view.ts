import type { AttemptError, BreakerState, ProviderState, SlowFigure } from '../engine/types.js';
import { describeError } from '../report/view-model.js';
import { asAttemptError, type GatewayEvent, type GatewaySnapshot } from './gateway-wire.js';
import { DEFAULT_HISTORY_SIZE, ProbeHistory } from './probe-history.js';
import { degradedWatchEvent, type WatchEvent } from './watch-events.js';

/** One provider as the gateway's events have told it so far; times are wall-clock ms. */
interface Tracked {
  name: string;
  model: string;
  breaker: BreakerState;
  retryAt?: number;
  requests: number;
  successes: number;
  failures: number;
  consecutiveFailures: number;
  lastLatencyMs?: number;
  lastError?: AttemptError;
  degraded?: SlowFigure;
}

/**
 * A gateway's providers rebuilt from its event stream: the snapshot sets every breaker, then
 * each event moves them on. The gateway's real traffic is the "probe": every answered request
 * is a latency sample, every failed attempt a gap. Pure (no I/O), so it is tested on its own.
 */
export class GatewayView {
  private providers = new Map<string, Tracked>();
  /** Samples per provider; kept across reconnects, since a restarted gateway's past latency still says something. */
  readonly history: ProbeHistory;

  constructor(historySize = DEFAULT_HISTORY_SIZE) {
    this.history = new ProbeHistory(historySize);
  }

  /** Takes every provider, in failover order, from a (re)connect's snapshot. */
  applySnapshot(snapshot: GatewaySnapshot): void {
    this.providers = new Map(
      snapshot.providers.map((state) => {
        const lastError = asAttemptError(state.stats.lastError);
        const tracked: Tracked = {
          name: state.name,
          model: state.model,
          breaker: state.breaker,
          ...(state.retryAtWall === undefined ? {} : { retryAt: state.retryAtWall }),
          requests: state.stats.requests,
          successes: state.stats.successes,
          failures: state.stats.failures,
          consecutiveFailures: state.stats.consecutiveFailures,
          ...(state.stats.lastLatencyMs === undefined ? {} : { lastLatencyMs: state.stats.lastLatencyMs }),
          ...(lastError ? { lastError } : {}),
          ...(state.degraded ? { degraded: state.degraded } : {}),
        };
        return [state.name, tracked];
      }),
    );
  }

  /** Applies one live event (`receivedAt`: wall-clock ms, for a gateway that sends no `atWall`); returns what to show of it. */
  apply(event: Exclude<GatewayEvent, GatewaySnapshot>, receivedAt: number): WatchEvent[] {
    const at = event.atWall ?? receivedAt;
    switch (event.type) {
      case 'breaker': {
        const tracked = this.provider(event.provider);
        tracked.breaker = event.to;
        if (event.to === 'open' && event.retryAtWall !== undefined) tracked.retryAt = event.retryAtWall;
        else delete tracked.retryAt;
        const cause = event.to === 'open' && tracked.lastError ? describeError(tracked.lastError) : undefined;
        return [
          { type: 'breaker', at, provider: event.provider, from: event.from, to: event.to, ...(tracked.retryAt === undefined ? {} : { retryAt: tracked.retryAt }), ...(cause ? { cause } : {}) },
        ];
      }
      case 'recovered':
        return [{ type: 'recovered', at, provider: event.provider, downForMs: event.downForMs }];
      case 'degraded': {
        const tracked = this.provider(event.provider);
        if (event.degraded && event.p90Ms !== undefined) tracked.degraded = { p90Ms: event.p90Ms, slowMs: event.slowMs };
        else delete tracked.degraded;
        return [degradedWatchEvent(event, at)];
      }
      case 'failover':
        return [{ type: 'failover', at, from: event.from, to: event.to, reason: event.reason }];
      case 'failure': {
        const error = asAttemptError(event.error);
        // A fatal failure is the request's fault (400, an abort): the provider answered as it should.
        if (error?.class === 'fatal') return [];
        const tracked = this.provider(event.provider);
        tracked.requests++;
        tracked.failures++;
        tracked.consecutiveFailures++;
        if (error) tracked.lastError = error;
        this.history.record(event.provider, { ok: false, ms: event.ms, at });
        return [];
      }
      case 'success': {
        const tracked = this.provider(event.provider);
        // `ms` is the whole request, failed attempts on other providers included; the answering
        // attempt's own time is the provider's latency.
        const ms = event.attempts.findLast((attempt) => attempt.provider === event.provider && attempt.outcome === 'success')?.ms ?? event.ms;
        tracked.requests++;
        tracked.successes++;
        tracked.consecutiveFailures = 0;
        tracked.lastLatencyMs = ms;
        delete tracked.lastError;
        this.history.record(event.provider, { ok: true, ms, at });
        return [];
      }
      default:
        return [];
    }
  }

  /** Every provider as the engine would describe it, with `retryAt` on the wall clock. */
  states(): ProviderState[] {
    return [...this.providers.values()].map((tracked) => ({
      name: tracked.name,
      model: tracked.model,
      breaker: tracked.breaker,
      ...(tracked.retryAt === undefined ? {} : { retryAt: tracked.retryAt }),
      stats: {
        requests: tracked.requests,
        successes: tracked.successes,
        failures: tracked.failures,
        consecutiveFailures: tracked.consecutiveFailures,
        ...(tracked.lastLatencyMs === undefined ? {} : { lastLatencyMs: tracked.lastLatencyMs }),
        ...(tracked.lastError ? { lastError: tracked.lastError } : {}),
      },
      ...(tracked.degraded ? { degraded: tracked.degraded } : {}),
    }));
  }

  /** The provider, added at the end when no snapshot named it (an older gateway sends none). */
  private provider(name: string): Tracked {
    let tracked = this.providers.get(name);
    if (!tracked) {
      tracked = { name, model: '—', breaker: 'closed', requests: 0, successes: 0, failures: 0, consecutiveFailures: 0 };
      this.providers.set(name, tracked);
    }
    return tracked;
  }
}
