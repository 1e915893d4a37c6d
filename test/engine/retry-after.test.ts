import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/engine/retry-after.js';
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
