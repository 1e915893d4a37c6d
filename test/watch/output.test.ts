import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret } from '../../src/config/secrets.js';
import type { RoundUpdate } from '../../src/watch/health-source.js';
import { jsonLine } from '../../src/watch/json-output.js';
import { eventLine, onceReport, roundLine } from '../../src/watch/plain-output.js';
import { buildRows } from '../../src/watch/rows.js';
import type { ProviderState } from '../../src/engine/types.js';

const at = new Date(2025, 0, 2, 14, 3, 7).getTime();

const states: ProviderState[] = [
  {
    name: 'primary',
    model: 'gpt-x',
    breaker: 'open',
    retryAt: 25_000,
    stats: { requests: 3, successes: 0, failures: 3, consecutiveFailures: 3, lastLatencyMs: 3, lastError: { class: 'retryable', kind: 'server', status: 503, message: 'down' } },
  },
  { name: 'backup', model: 'llama', breaker: 'closed', stats: { requests: 3, successes: 3, failures: 0, consecutiveFailures: 0, lastLatencyMs: 12 } },
];

const round: RoundUpdate = {
  type: 'round',
  round: 4,
  at,
  kind: 'models',
  outcomes: [
    { provider: 'primary', outcome: 'skipped', ms: 0, reason: 'breaker open' },
    { provider: 'backup', outcome: 'success', ms: 12 },
  ],
  rows: buildRows({ states, history: new Map([['backup', [{ ok: true, ms: 12, at: 0 }]]]), now: 0 }),
  traffic: 'backup',
};

afterEach(() => clearSecrets());

describe('plain lines', () => {
  it('summarises a probe round on one line: states, latency, countdown, traffic', () => {
    expect(roundLine(round)).toBe('14:03:07  round 4  primary ○ open, trial in 25 s · backup ● closed 12 ms  traffic → backup');
  });

  it('writes one line per state change', () => {
    expect(eventLine({ type: 'breaker', at, provider: 'primary', from: 'closed', to: 'open', retryAt: at + 30_000, cause: '503 server error' })).toBe(
      '14:03:07  primary ● closed → ○ open (503 server error; trial in 30 s)',
    );
    expect(eventLine({ type: 'traffic', at, from: 'primary', to: 'backup' })).toBe('14:03:07  traffic → backup (was primary)');
    expect(eventLine({ type: 'recovered', at, provider: 'primary', downForMs: 42_000 })).toBe('14:03:07  primary recovered after 42.0 s down');
  });

  it('reports --once as a table and a verdict', () => {
    const report = onceReport(round, false);
    expect(report).toMatch(/►\s+2\s+backup\s+llama\s+● closed\s+✓ ok\s+12 ms/);
    expect(report).toMatch(/not healthy: primary did not answer; traffic → backup$/);
  });
});

describe('JSON lines', () => {
  it('is one object per line with ISO times and per-provider figures', () => {
    const line = jsonLine(round);
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({ type: 'round', time: new Date(at).toISOString(), round: 4, healthy: false, traffic: 'backup' });
    expect(parsed.providers[0]).toMatchObject({ name: 'primary', breaker: 'open', outcome: 'skipped', retryInMs: 25_000, latencyMs: null });
    expect(parsed.providers[1]).toMatchObject({ name: 'backup', outcome: 'success', latencyMs: 12, successRate: 1, p50Ms: 12 });
  });

  it('turns events into objects with ISO times', () => {
    expect(JSON.parse(jsonLine({ type: 'event', event: { type: 'breaker', at, provider: 'p', from: 'open', to: 'half-open', retryAt: at } }))).toEqual({
      type: 'breaker',
      provider: 'p',
      from: 'open',
      to: 'half-open',
      time: new Date(at).toISOString(),
      retryAt: new Date(at).toISOString(),
    });
  });

  it('never prints a registered secret', () => {
    registerSecret('sk-very-secret-123456');
    const line = jsonLine({ type: 'event', event: { type: 'failover', at, from: 'a', to: 'b', reason: 'key sk-very-secret-123456 rejected' } });
    expect(line).not.toContain('sk-very-secret-123456');
  });
});
