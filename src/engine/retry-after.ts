/**
 * How long a provider asked us to wait, in ms: OpenAI's `retry-after-ms`, then the standard
 * `Retry-After` as seconds or as an HTTP date, then the `x-ratelimit-reset-*` durations OpenAI,
 * Groq and Azure send (see `parseRateLimitReset`). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers | undefined, nowWallMs: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null) {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
    const date = Date.parse(retryAfter);
    // An HTTP date is wall-clock time, so it is compared with Date.now(), not the engine clock.
    if (!Number.isNaN(date)) return Math.max(0, date - nowWallMs);
  }
  return parseRateLimitReset(headers);
}

/**
 * When the exhausted limit resets, from `x-ratelimit-reset-requests` / `-tokens` (Go-style
 * durations: `6m0s`, `1s`, `20ms`, `1m30.5s`). Only the limits whose `x-ratelimit-remaining-*`
 * is 0 count; when none says 0 (a request bigger than what is left), the later reset does,
 * since only then are both limits whole again.
 */
export function parseRateLimitReset(headers: Headers): number | undefined {
  const resets: number[] = [];
  const exhausted: number[] = [];
  for (const limit of ['requests', 'tokens']) {
    const reset = parseDuration(headers.get(`x-ratelimit-reset-${limit}`));
    if (reset === undefined) continue;
    resets.push(reset);
    if (headers.get(`x-ratelimit-remaining-${limit}`)?.trim() === '0') exhausted.push(reset);
  }
  const counted = exhausted.length > 0 ? exhausted : resets;
  return counted.length === 0 ? undefined : Math.max(...counted);
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };

/** A Go `time.Duration` string (`1h2m3.5s`, `20ms`) or plain seconds (Azure sends `6`), in whole ms. */
export function parseDuration(text: string | null): number | undefined {
  const value = text?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const parts = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/.test(value) ? value.match(/\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns)/g) : null;
  if (!parts) return undefined;
  let ms = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(.+)$/.exec(part)!;
    ms += Number(amount) * UNIT_MS[unit!]!;
  }
  return Math.ceil(ms);
}
