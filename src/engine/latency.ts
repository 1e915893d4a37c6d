import type { LatencyConfig, ProviderConfig, UnderstudyConfig } from '../config/schema.js';
import { RollingHistogram } from './latency-histogram.js';

/** Percentiles of one latency series over the record's window. */
export interface LatencyFigures {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p95Ms: number;
}

/** A provider's recent latency, as ProviderState shows it (a series is absent with no samples). */
export interface LatencySnapshot {
  /**
   * Time until the provider committed: a stream's first content, or (for `complete`, which is
   * not streamed) the whole answer. Calls that timed out or lost a hedge count with the time
   * they had taken, a floor of their real latency, so a provider that hedges always beat still
   * looks slow.
   */
  readonly firstToken?: LatencyFigures;
  /** Whole successful calls, first byte to last. */
  readonly total?: LatencyFigures;
}

/**
 * A provider's rolling latency record: time to first token and whole-call time, over the last
 * `windowMs` of the engine's clock.
 */
export class LatencyRecord {
  readonly firstToken: RollingHistogram;
  readonly total: RollingHistogram;

  constructor(windowMs: number) {
    this.firstToken = new RollingHistogram(windowMs);
    this.total = new RollingHistogram(windowMs);
  }

  snapshot(now: number): LatencySnapshot {
    const firstToken = figures(this.firstToken, now);
    const total = figures(this.total, now);
    return { ...(firstToken ? { firstToken } : {}), ...(total ? { total } : {}) };
  }
}

function figures(histogram: RollingHistogram, now: number): LatencyFigures | undefined {
  const samples = histogram.count(now);
  if (samples === 0) return undefined;
  return {
    samples,
    p50Ms: histogram.quantile(0.5, now)!,
    p90Ms: histogram.quantile(0.9, now)!,
    p95Ms: histogram.quantile(0.95, now)!,
  };
}

/** The latency settings that apply to one provider. */
export interface SlowSettings {
  /** Over this p90 the provider is degraded; undefined: never. */
  readonly slowMs: number | undefined;
  readonly onSlow: 'hedge' | 'skip';
  readonly latency: LatencyConfig;
}

export function slowSettings(config: UnderstudyConfig, provider: ProviderConfig): SlowSettings {
  return { slowMs: provider.slowMs ?? config.slowMs, onSlow: provider.onSlow ?? config.onSlow, latency: config.latency };
}
