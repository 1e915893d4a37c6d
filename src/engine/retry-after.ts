/**
 * How long a provider asked us to wait, in ms: OpenAI's `retry-after-ms`, then the standard
 * `Retry-After` as seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers | undefined, nowWallMs: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null) {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
  const date = Date.parse(retryAfter);
  // An HTTP date is wall-clock time, so it is compared with Date.now(), not the engine clock.
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowWallMs);
}
