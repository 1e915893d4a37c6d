import { describe, expect, it } from 'vitest';
import type { AttemptError, BreakerState } from '../../src/engine/types.js';
import { breakerView, describeError, formatCountdown, formatMs, percentile, sparkline } from '../../src/report/view-model.js';

describe('breakerView', () => {
  it.each<[BreakerState, string, string, string]>([
    ['closed', '●', 'closed', 'green'],
    ['half-open', '◐', 'half-open', 'yellow'],
    ['open', '○', 'open', 'red'],
  ])('shows %s as %s %s in %s', (state, glyph, word, colour) => {
    expect(breakerView(state)).toEqual({ glyph, word, colour });
  });

  it('hands out copies', () => {
    breakerView('closed').word = 'changed';
    expect(breakerView('closed').word).toBe('closed');
  });
});

describe('formatMs', () => {
  it.each([
    [0, '0 ms'],
    [12, '12 ms'],
    [12.4, '12 ms'],
    [999, '999 ms'],
    [999.6, '1.0 s'],
    [1000, '1.0 s'],
    [1300, '1.3 s'],
    [59_940, '59.9 s'],
    [59_960, '1 m 0 s'],
    [60_000, '1 m 0 s'],
    [125_000, '2 m 5 s'],
    [3_599_000, '59 m 59 s'],
    [3_600_000, '1 h 0 m'],
    [3_840_000, '1 h 4 m'],
    [-5, '0 ms'],
    [Number.NaN, '—'],
    [Number.POSITIVE_INFINITY, '—'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});

describe('formatCountdown', () => {
  it.each([
    [10_000, 10_000, 'now'],
    [10_000, 12_000, 'now'],
    [10_001, 10_000, 'in 1 s'],
    [11_000, 10_000, 'in 1 s'],
    [11_001, 10_000, 'in 2 s'],
    [70_000, 10_000, 'in 1 m 0 s'],
    [135_000, 10_000, 'in 2 m 5 s'],
  ])('until %s at %s → %s', (until, now, text) => {
    expect(formatCountdown(until, now)).toBe(text);
  });
});

describe('describeError', () => {
  const error = (fields: Partial<AttemptError> & Pick<AttemptError, 'kind'>): AttemptError => ({ class: 'retryable', message: '', ...fields });

  it.each<[AttemptError, string]>([
    [error({ kind: 'server', status: 503 }), '503 server error'],
    [error({ kind: 'server', status: 529 }), '529 overloaded'],
    [error({ kind: 'timeout', timeout: 'first-token' }), 'timeout (first token)'],
    [error({ kind: 'timeout', timeout: 'idle' }), 'timeout (idle stream)'],
    [error({ kind: 'timeout', timeout: 'call' }), 'timeout (whole call)'],
    [error({ kind: 'timeout' }), 'timeout'],
    [error({ kind: 'connection', message: 'connect ECONNREFUSED 127.0.0.1:9' }), 'connection refused'],
    [error({ kind: 'connection', message: 'read ECONNRESET' }), 'connection reset'],
    [error({ kind: 'connection', message: 'getaddrinfo ENOTFOUND api.example' }), 'DNS lookup failed'],
    [error({ kind: 'connection', message: 'unable to verify the first certificate' }), 'TLS error'],
    [error({ kind: 'connection', message: 'something else' }), 'connection failed'],
    [error({ kind: 'rate-limit', status: 429, retryAfterMs: 2000 }), '429 rate limited, retry after 2.0 s'],
    [error({ kind: 'rate-limit', status: 429 }), '429 rate limited'],
    [error({ kind: 'malformed', status: 200 }), 'malformed response'],
    [error({ kind: 'auth', status: 401, class: 'provider-only' }), '401 key rejected'],
    [error({ kind: 'auth', status: 403, class: 'provider-only' }), '403 access denied'],
    [error({ kind: 'not-found', status: 404, class: 'provider-only' }), '404 model or URL not found'],
    [error({ kind: 'context-length', status: 400, class: 'fatal' }), '400 prompt too long'],
    [error({ kind: 'bad-request', status: 422, class: 'fatal' }), '422 bad request'],
    [error({ kind: 'aborted', class: 'fatal' }), 'aborted'],
  ])('%j → %s', (attemptError, text) => {
    expect(describeError(attemptError)).toBe(text);
  });
});

describe('sparkline', () => {
  it('scales from zero to the largest value', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([100, 105, 100], 3)).toBe('███');
  });

  it('shows only the last `width` values', () => {
    expect(sparkline([7, 0, 7], 2)).toBe('▁█');
  });

  it('handles empty, zero, negative and missing values', () => {
    expect(sparkline([], 5)).toBe('');
    expect(sparkline([1, 2], 0)).toBe('');
    expect(sparkline([0, 0], 2)).toBe('▁▁');
    expect(sparkline([-3, 4], 2)).toBe('▁█');
    expect(sparkline([4, Number.NaN, 4], 3)).toBe('█ █');
  });
});

describe('percentile', () => {
  const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];

  it('uses the nearest rank, so the answer is a value that occurred', () => {
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile(values, 91)).toBe(100);
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([42], 99)).toBe(42);
  });

  it('is undefined for no values and ignores NaN', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([Number.NaN, 3], 50)).toBe(3);
  });

  it('does not reorder its input', () => {
    const input = [3, 1, 2];
    percentile(input, 50);
    expect(input).toEqual([3, 1, 2]);
  });
});
