import type { BreakerState, ProviderState, SlowFigure } from '../engine/types.js';
import { breakerView, DEGRADED_VIEW, describeDegraded, describeError, formatCountdown, formatMs, percentile, sparkline, type BreakerView } from '../report/view-model.js';
import type { ProbeSample } from './probe-history.js';

/**
 * The watch's view model: pure functions from engine state and probe history to the rows the
 * Ink board and the plain/JSON output show. Neither output computes a figure on its own.
 */

/** One provider as the board and the plain output show it. Text fields read `—` when unknown. */
export interface WatchRow {
  /** 1-based position in failover order (the number `f` takes). */
  readonly index: number;
  readonly name: string;
  readonly model: string;
  readonly breaker: BreakerState;
  /** How the state column shows it: the breaker's view, or `◐ degraded` for a slow provider whose breaker is closed. */
  readonly view: BreakerView;
  /** Slow (p90 time to first token over its slowMs): `degraded (p90 5.2 s > 4 s)`, and the figures. */
  readonly degraded?: string;
  readonly degradedFigure?: SlowFigure;
  /** Traffic would go to this provider now. */
  readonly traffic: boolean;
  /** Forced to fail by the interactive drill. */
  readonly forced: boolean;
  /** For an open breaker: time left until its half-open trial (`25 s`, `now`). */
  readonly trialIn?: string;
  readonly retryInMs?: number;
  readonly lastLatency: string;
  readonly p50: string;
  readonly p95: string;
  /** Share of probes in the window that succeeded: `100%`. */
  readonly successRate: string;
  readonly lastLatencyMs?: number;
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  /** 0..1 over the window; undefined before the first probe. */
  readonly successRatio?: number;
  /** Latency of each probe in the window, oldest first; a failed probe is NaN (a gap). */
  readonly latencies: readonly number[];
  readonly consecutiveFailures: number;
  /** Probes in the window. */
  readonly samples: number;
  /** The last failure, described (`503 server error`), while the provider is failing. */
  readonly lastError?: string;
  /** The provider's own words for that failure. */
  readonly lastErrorMessage?: string;
  /**
   * The source knows breakers but no request figures (a fleet's shared keys): latency, success
   * rate and failure count are unknown, not zero, and show as `—`.
   */
  readonly noFigures?: boolean;
}

/** What `buildRows` needs: the engine's state, the probe window, the forced set, the engine clock. */
export interface RowInputs {
  readonly states: readonly ProviderState[];
  readonly history: ReadonlyMap<string, readonly ProbeSample[]>;
  readonly forced?: ReadonlySet<string>;
  /** Engine clock time (the one `retryAt` is on). */
  readonly now: number;
}

/**
 * Where a request sent now would go: the first provider in order whose breaker is closed. An
 * open or half-open breaker skips requests, so such a provider never counts.
 */
export function trafficTarget(states: readonly ProviderState[]): string | undefined {
  return states.find((state) => state.breaker === 'closed')?.name;
}

/** One row per provider, in failover order. */
export function buildRows({ states, history, forced = new Set(), now }: RowInputs): WatchRow[] {
  const target = trafficTarget(states);
  return states.map((state, position) => buildRow(state, position + 1, history.get(state.name) ?? [], forced.has(state.name), state.name === target, now));
}

function buildRow(state: ProviderState, index: number, samples: readonly ProbeSample[], forced: boolean, traffic: boolean, now: number): WatchRow {
  const okLatencies = samples.filter((sample) => sample.ok).map((sample) => sample.ms);
  const p50Ms = percentile(okLatencies, 50);
  const p95Ms = percentile(okLatencies, 95);
  const successRatio = samples.length === 0 ? undefined : okLatencies.length / samples.length;
  const lastLatencyMs = state.stats.lastLatencyMs;
  const failing = state.stats.consecutiveFailures > 0 || state.breaker !== 'closed';
  const lastError = failing ? state.stats.lastError : undefined;
  return {
    index,
    name: state.name,
    model: state.model,
    breaker: state.breaker,
    view: state.degraded && state.breaker === 'closed' ? { ...DEGRADED_VIEW } : breakerView(state.breaker),
    ...(state.degraded ? { degraded: describeDegraded(state.degraded), degradedFigure: state.degraded } : {}),
    traffic,
    forced,
    ...(state.breaker === 'open' && state.retryAt !== undefined
      ? { trialIn: formatCountdown(state.retryAt, now).replace(/^in /, ''), retryInMs: Math.max(0, state.retryAt - now) }
      : {}),
    lastLatency: optionalMs(lastLatencyMs),
    p50: optionalMs(p50Ms),
    p95: optionalMs(p95Ms),
    successRate: successRatio === undefined ? '—' : `${Math.round(successRatio * 100)}%`,
    ...(lastLatencyMs === undefined ? {} : { lastLatencyMs }),
    ...(p50Ms === undefined ? {} : { p50Ms }),
    ...(p95Ms === undefined ? {} : { p95Ms }),
    ...(successRatio === undefined ? {} : { successRatio }),
    latencies: samples.map((sample) => (sample.ok ? sample.ms : Number.NaN)),
    consecutiveFailures: state.stats.consecutiveFailures,
    samples: samples.length,
    ...(lastError ? { lastError: describeError(lastError), lastErrorMessage: lastError.message } : {}),
  };
}

/** The row's latency sparkline in at most `width` columns (failed probes are gaps). */
export function rowSparkline(row: WatchRow, width: number): string {
  return sparkline(row.latencies, width);
}

function optionalMs(ms: number | undefined): string {
  return ms === undefined ? '—' : formatMs(ms);
}
