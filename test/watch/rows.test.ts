import { describe, expect, it } from 'vitest';
import type { ProviderState } from '../../src/engine/types.js';
import { buildRows, rowSparkline, trafficTarget } from '../../src/watch/rows.js';

const state = (name: string, breaker: ProviderState['breaker'], extra: Partial<ProviderState> = {}): ProviderState => ({
  name,
  model: `${name}-model`,
  breaker,
  stats: { requests: 0, successes: 0, failures: 0, consecutiveFailures: 0 },
  ...extra,
});

describe('trafficTarget', () => {
  it('is the first provider whose breaker is closed', () => {
    expect(trafficTarget([state('a', 'closed'), state('b', 'closed')])).toBe('a');
    expect(trafficTarget([state('a', 'open'), state('b', 'closed')])).toBe('b');
    expect(trafficTarget([state('a', 'half-open'), state('b', 'closed')])).toBe('b');
  });

  it('is nowhere when every breaker is open', () => {
    expect(trafficTarget([state('a', 'open'), state('b', 'half-open')])).toBeUndefined();
  });
});

describe('buildRows', () => {
  it('summarises the window: percentiles over successes, success rate over every probe', () => {
    const samples = [10, 20, 30, 40].map((ms, i) => ({ ok: true, ms, at: i }));
    const [row] = buildRows({
      states: [state('a', 'closed', { stats: { requests: 5, successes: 4, failures: 1, consecutiveFailures: 0, lastLatencyMs: 40 } })],
      history: new Map([['a', [...samples, { ok: false, ms: 1, at: 9 }]]]),
      now: 0,
    });
    expect(row).toMatchObject({ index: 1, traffic: true, p50: '20 ms', p95: '40 ms', successRate: '80%', lastLatency: '40 ms', samples: 5 });
    expect(row?.latencies.at(-1)).toBeNaN();
    expect(rowSparkline(row!, 3)).toBe('▆█ ');
  });

  it('counts down to the half-open trial of an open breaker and says why it failed', () => {
    const [, row] = buildRows({
      states: [
        state('a', 'closed'),
        state('b', 'open', {
          retryAt: 30_000,
          stats: { requests: 3, successes: 0, failures: 3, consecutiveFailures: 3, lastError: { class: 'retryable', kind: 'server', status: 503, message: 'down' } },
        }),
      ],
      history: new Map(),
      forced: new Set(['b']),
      now: 5_500,
    });
    expect(row).toMatchObject({ breaker: 'open', trialIn: '25 s', retryInMs: 24_500, forced: true, traffic: false, lastError: '503 server error', successRate: '—', p50: '—' });
    expect(row?.view).toEqual({ glyph: '○', word: 'open', colour: 'red' });
  });

  it('forgets the last error once the provider answers again', () => {
    const [row] = buildRows({
      states: [state('a', 'closed', { stats: { requests: 2, successes: 1, failures: 1, consecutiveFailures: 0, lastError: { class: 'retryable', kind: 'server', message: 'x' } } })],
      history: new Map(),
      now: 0,
    });
    expect(row?.lastError).toBeUndefined();
  });
});
