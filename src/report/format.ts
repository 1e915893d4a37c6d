/** Durations as people read them. Part of the view model: pure, no colour. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * A duration in its most readable unit: `12 ms`, `1.3 s`, `2 m 5 s`, `1 h 4 m`.
 * Negative durations show as `0 ms`; NaN and infinities as `—`.
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const value = Math.max(0, ms);
  // Each unit is chosen after rounding, so 999.6 ms shows as `1.0 s`, never `1000 ms`.
  if (Math.round(value) < SECOND) return `${Math.round(value)} ms`;
  const tenths = Math.round(value / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  return wholeUnits(Math.round(value / SECOND));
}

/**
 * Time left until `untilMs` (both on the engine's clock): `in 5 s`, `in 2 m 5 s`, or `now` once
 * it has passed. Rounded up, so it never shows `in 0 s` while there is still time to wait.
 */
export function formatCountdown(untilMs: number, nowMs: number): string {
  const remaining = untilMs - nowMs;
  if (!(remaining > 0)) return 'now';
  return `in ${wholeUnits(Math.ceil(remaining / SECOND))}`;
}

/** `45 s`, `2 m 5 s`, `1 h 4 m` (seconds are dropped past an hour: nobody counts them). */
function wholeUnits(totalSeconds: number): string {
  if (totalSeconds < 60) return `${totalSeconds} s`;
  if (totalSeconds < HOUR / SECOND) return `${Math.floor(totalSeconds / 60)} m ${totalSeconds % 60} s`;
  const minutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} m`;
}
