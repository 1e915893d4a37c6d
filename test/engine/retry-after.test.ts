import { describe, expect, it } from 'vitest';
import { parseDuration, parseRetryAfter } from '../../src/engine/retry-after.js';
import { backoffDelay } from '../../src/engine/backoff.js';

describe('parseRetryAfter', () => {
  it('reads seconds, fractional seconds, retry-after-ms and an HTTP date', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toBe(30_000);
  });

  it('gives undefined for absent or unreadable values, and never a negative wait', () => {
    expect(parseRetryAfter(new Headers())).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:00 GMT' }), Date.parse('2026-01-02'))).toBe(0);
  });
});

describe('x-ratelimit-reset-* (OpenAI, Groq)', () => {
  it('reads Go durations and plain seconds', () => {
    expect(['6m0s', '1s', '20ms', '1m30.5s', '2m59.56s', '7.66s', '1h0m0s', '6'].map(parseDuration)).toEqual([
      360_000, 1_000, 20, 90_500, 179_560, 7_660, 3_600_000, 6_000,
    ]);
    expect([null, '', 'soon', '5 minutes', 'ms'].map(parseDuration)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('waits for the limit that is exhausted, else for both to reset', () => {
    const resets = { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' };
    expect(parseRetryAfter(new Headers({ ...resets, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '900' }))).toBe(1_000);
    expect(parseRetryAfter(new Headers({ ...resets, 'x-ratelimit-remaining-requests': '4', 'x-ratelimit-remaining-tokens': '0' }))).toBe(360_000);
    expect(parseRetryAfter(new Headers(resets))).toBe(360_000);
  });

  it('loses to Retry-After and retry-after-ms', () => {
    const resets = { 'x-ratelimit-reset-tokens': '7.66s', 'x-ratelimit-remaining-tokens': '0' };
    expect(parseRetryAfter(new Headers({ ...resets, 'retry-after': '3' }))).toBe(3_000);
    expect(parseRetryAfter(new Headers({ ...resets, 'retry-after-ms': '250' }))).toBe(250);
  });
});

describe('backoffDelay', () => {
  const retry = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000, jitter: false, maxRetryAfterMs: 0 };

  it('doubles per retry up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, retry))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('with jitter, stays within the upper half of the exponential delay', () => {
    expect(backoffDelay(3, { ...retry, jitter: true }, () => 0)).toBe(200);
    expect(backoffDelay(3, { ...retry, jitter: true }, () => 0.999_999)).toBe(400);
  });
});
