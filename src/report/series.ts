/** Summaries of a series of numbers (latencies), for the board and the summaries. Pure. */

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `width` values as bars ▁▂▃▄▅▆▇█, scaled from 0 to the largest value shown, so a
 * steady 100 ms with 5 ms of jitter stays flat instead of looking like spikes. Values that are
 * not finite (a failed attempt with no latency) show as a space. Shorter than `width` when
 * there are fewer values: the caller pads it.
 */
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-Math.floor(width));
  const max = Math.max(0, ...shown.filter(Number.isFinite));
  return shown
    .map((value) => {
      if (!Number.isFinite(value)) return ' ';
      if (max === 0) return BARS[0];
      const level = Math.round((Math.max(0, value) / max) * (BARS.length - 1));
      return BARS[level] ?? BARS[0];
    })
    .join('');
}

/**
 * The `p`th percentile (0–100) by nearest rank: always a value that actually occurred, which is
 * what a reader expects of "p95 latency". `undefined` for an empty list; NaNs are ignored.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const clamped = Math.min(100, Math.max(0, p));
  const rank = Math.ceil((clamped / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}
