/**
 * A rolling latency histogram: log-spaced buckets (each about 10% wider than the one below, so
 * any figure is within ~5% of the truth) counted per time slice, with slices older than the
 * window dropped as time moves on. Recording is O(1) and allocation-free; a percentile is one
 * scan of ~170 buckets. Times come from the caller (the engine's clock), never from Date.
 *
 * Hand-written rather than hdr-histogram-js: that package keeps no time window (it would need
 * one histogram per slice and a merge per query) and its 3-significant-digit precision costs
 * kilobytes per histogram where a health decision needs ±5%.
 */
export class RollingHistogram {
  /** Counts per slice, slice-major: `counts[slice * BUCKETS + bucket]`. */
  private readonly counts: Uint32Array;
  /** The slice number (time / sliceMs) each ring slot holds, or -1 for an empty slot. */
  private readonly epochs: Float64Array;
  /** The sum over live slices, kept in step so a query does not merge slices. */
  private readonly totals = new Uint32Array(BUCKETS);
  private samples = 0;
  private readonly sliceMs: number;

  constructor(
    windowMs: number,
    private readonly slices = 6,
  ) {
    this.sliceMs = Math.max(1, Math.ceil(windowMs / slices));
    this.counts = new Uint32Array(slices * BUCKETS);
    this.epochs = new Float64Array(slices).fill(-1);
  }

  /** Adds one sample of `ms` taken at clock time `now`. */
  record(ms: number, now: number): void {
    const epoch = Math.floor(now / this.sliceMs);
    const slot = this.slotFor(epoch);
    const bucket = bucketOf(ms);
    this.counts[slot * BUCKETS + bucket]!++;
    this.totals[bucket]!++;
    this.samples++;
  }

  /** Samples inside the window that ends at `now`. */
  count(now: number): number {
    this.expire(Math.floor(now / this.sliceMs));
    return this.samples;
  }

  /**
   * The `fraction` quantile (0.9 for p90) of the samples in the window ending at `now`, as the
   * geometric middle of its bucket (within ~5%), or undefined with no samples.
   */
  quantile(fraction: number, now: number): number | undefined {
    const samples = this.count(now);
    if (samples === 0) return undefined;
    const rank = Math.max(1, Math.ceil(fraction * samples));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.totals[bucket]!;
      if (seen >= rank) return middleOf(bucket);
    }
    return middleOf(BUCKETS - 1);
  }

  /** The ring slot for `epoch`, cleared first when it held an older slice. */
  private slotFor(epoch: number): number {
    this.expire(epoch);
    const slot = epoch % this.slices;
    if (this.epochs[slot] !== epoch) {
      this.clear(slot);
      this.epochs[slot] = epoch;
    }
    return slot;
  }

  /** Drops every slice that has left the window ending in slice `epoch`. */
  private expire(epoch: number): void {
    for (let slot = 0; slot < this.slices; slot++) {
      const held = this.epochs[slot]!;
      if (held >= 0 && held <= epoch - this.slices) this.clear(slot);
    }
  }

  private clear(slot: number): void {
    if (this.epochs[slot]! < 0) return;
    const base = slot * BUCKETS;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const count = this.counts[base + bucket]!;
      if (count === 0) continue;
      this.totals[bucket]! -= count;
      this.samples -= count;
      this.counts[base + bucket] = 0;
    }
    this.epochs[slot] = -1;
  }
}

/** Bucket 0 holds [0, 1] ms; bucket b holds (GROWTH^(b-1), GROWTH^b]; the last one everything above ~3 hours. */
const GROWTH = 1.1;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 170;

function bucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(ms) / LOG_GROWTH - 1e-9));
}

function middleOf(bucket: number): number {
  return bucket === 0 ? 1 : Math.round(GROWTH ** (bucket - 0.5));
}
