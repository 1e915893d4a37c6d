import type { LatencyRecord, SlowSettings } from './latency.js';

/** A provider's latency health changed: `degraded` with the p90 that made it so, or healthy again. */
export interface HealthChange {
  readonly degraded: boolean;
  /** The p90 time to first token when judged (undefined when the window ran out of samples). */
  readonly p90Ms: number | undefined;
  readonly slowMs: number;
}

/**
 * Judges a provider `degraded` when the p90 of its time to first token over the window is above
 * `slowMs`, beside (not inside) the breaker: a slow provider still answers. Judged after each
 * sample and whenever failover asks, so samples ageing out of the window bring it back too.
 * Fewer than `minSamples` in the window is no evidence either way, and reads as healthy: a
 * provider can then never stay degraded on stale data.
 */
export class SlowDetector {
  private p90Ms: number | undefined;
  private isDegraded = false;
  /** Requests that skipped this degraded provider since its last trial (onSlow: skip). */
  private skipped = 0;

  constructor(
    private readonly settings: SlowSettings,
    private readonly record: LatencyRecord,
    private readonly onChange: (change: HealthChange) => void,
  ) {}

  get degraded(): boolean {
    return this.isDegraded;
  }

  /** The p90 behind the last verdict. */
  get figure(): number | undefined {
    return this.p90Ms;
  }

  get slowMs(): number | undefined {
    return this.settings.slowMs;
  }

  /** Re-reads the window ending at `now`; emits a change when the verdict flips. */
  judge(now: number): void {
    const slowMs = this.settings.slowMs;
    if (slowMs === undefined) return;
    const histogram = this.record.firstToken;
    const enough = histogram.count(now) >= this.settings.latency.minSamples;
    this.p90Ms = enough ? histogram.quantile(0.9, now) : undefined;
    const degraded = this.p90Ms !== undefined && this.p90Ms > slowMs;
    if (degraded === this.isDegraded) return;
    this.isDegraded = degraded;
    this.skipped = 0;
    this.onChange({ degraded, p90Ms: this.p90Ms, slowMs });
  }

  /**
   * Whether this request passes the provider by (`onSlow: skip` while degraded). Every
   * `trialEvery`-th request goes to it anyway: its samples are the only way its p90 can show
   * it is fast again while traffic keeps flowing.
   */
  skips(now: number): boolean {
    if (this.settings.onSlow !== 'skip' || !this.isDegraded) return false;
    this.judge(now);
    if (!this.isDegraded) return false;
    if (++this.skipped < this.settings.latency.trialEvery) return true;
    this.skipped = 0;
    return false;
  }

  /**
   * While degraded: the hedge point for calls to it (its `slowMs`). With `onSlow: hedge` that is
   * every call; with `skip` the trials that still go to it (when a hedge budget exists).
   */
  hedgeAtMs(): number | undefined {
    return this.isDegraded ? this.settings.slowMs : undefined;
  }
}
