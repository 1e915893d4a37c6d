import { describe, expect, it } from 'vitest';
import { RollingHistogram } from '../../src/engine/latency-histogram.js';

describe('RollingHistogram', () => {
  it('reads percentiles within 5% of the exact figures', () => {
    const histogram = new RollingHistogram(60_000);
    for (let ms = 1; ms <= 1_000; ms++) histogram.record(ms, 0);
    for (const [fraction, exact] of [
      [0.5, 500],
      [0.9, 900],
      [0.95, 950],
    ] as const) {
      const figure = histogram.quantile(fraction, 0)!;
      expect(Math.abs(figure - exact) / exact).toBeLessThanOrEqual(0.05);
    }
    expect(histogram.count(0)).toBe(1_000);
  });

  it('answers undefined with no samples, and keeps a sub-millisecond sample in the lowest bucket', () => {
    const histogram = new RollingHistogram(1_000);
    expect(histogram.quantile(0.9, 0)).toBeUndefined();
    histogram.record(0.2, 0);
    expect(histogram.quantile(0.5, 0)).toBe(1);
  });

  it('forgets samples once they leave the window, slice by slice', () => {
    const histogram = new RollingHistogram(6_000, 6);
    histogram.record(2_000, 0);
    histogram.record(100, 3_000);
    expect(histogram.count(5_999)).toBe(2);
    expect(histogram.count(6_000)).toBe(1);
    expect(histogram.quantile(0.9, 6_000)).toBeLessThan(110);
    expect(histogram.count(9_000)).toBe(0);
    histogram.record(50, 60_000);
    expect(histogram.count(60_000)).toBe(1);
  });
});
