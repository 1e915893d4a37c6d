import { describe, expect, it } from 'vitest';
import { AlertTracker } from '../../src/alerts/from-events.js';
import type { AttemptError, EngineEvent } from '../../src/engine/types.js';

const WALL_ORIGIN = Date.UTC(2025, 0, 1, 12, 0, 0);
const tracker = (throttleMs = 60_000, on?: ConstructorParameters<typeof AlertTracker>[0]['on']) =>
  new AlertTracker({ throttleMs, toWallTime: (at) => WALL_ORIGIN + at, ...(on ? { on } : {}) });

const server503: AttemptError = { class: 'retryable', kind: 'server', status: 503, message: 'overloaded' };
const failure = (at: number, requestId: number, provider = 'primary', error = server503): EngineEvent =>
  ({ type: 'failure', at, provider, attempt: 1, requestId, error, ms: 5 }) as EngineEvent;
const failover = (at: number, requestId: number, from = 'primary', to = 'backup'): EngineEvent =>
  ({ type: 'failover', at, from, to, requestId, reason: 'status 503' }) as EngineEvent;
const success = (at: number, requestId: number, provider: string): EngineEvent =>
  ({ type: 'success', at, provider, requestId, ms: 5, attempts: [] }) as EngineEvent;

describe('AlertTracker', () => {
  it('raises one failover alert with the errors seen, then folds the rest of the window into the next', () => {
    const t = tracker(60_000);
    expect(t.handle(failure(0, 1))).toEqual([]);
    const [first] = t.handle(failover(0, 1));
    expect(first).toMatchObject({
      kind: 'failover',
      severity: 'warning',
      providers: ['primary'],
      errors: [{ provider: 'primary', class: 'retryable', kind: 'server', status: 503, message: 'overloaded' }],
      startedAt: '2025-01-01T12:00:00.000Z',
      at: '2025-01-01T12:00:00.000Z',
      affectedRequests: 1,
      folded: 0,
    });
    for (let id = 2; id <= 5; id++) expect(t.handle(failover(1_000 * id, id))).toEqual([]);
    expect(t.throttled).toBe(4);
    const [next] = t.handle(failover(60_000, 6));
    expect(next).toMatchObject({ kind: 'failover', folded: 4, affectedRequests: 6, startedAt: '2025-01-01T12:00:00.000Z', at: '2025-01-01T12:01:00.000Z' });
  });

  it('sends recovered when an announced incident ends, carrying the folded count, and then starts afresh', () => {
    const t = tracker(60_000);
    t.handle(failover(0, 1));
    t.handle(failover(10, 2));
    t.handle(failover(20, 3));
    const [recovered] = t.handle({ type: 'recovered', at: 30_000, provider: 'primary', downForMs: 30_000 } as EngineEvent);
    expect(recovered).toMatchObject({ kind: 'recovered', severity: 'info', providers: ['primary'], affectedRequests: 3, folded: 2 });
    expect(recovered!.summary).toContain('30s');
    // The success of the same request finds nothing left open.
    expect(t.handle(success(30_000, 4, 'primary'))).toEqual([]);
    // A new failover inside the window is folded, and its folded count starts from zero.
    expect(t.handle(failover(40_000, 5))).toEqual([]);
    expect(t.handle(failover(61_000, 6))[0]).toMatchObject({ folded: 1, affectedRequests: 2, startedAt: '2025-01-01T12:00:40.000Z' });
  });

  it('sends no recovered for an incident nobody was told about', () => {
    const t = tracker(60_000);
    t.handle(failover(0, 1));
    t.handle(success(1, 2, 'primary')); // recovered alert for the announced one
    t.handle(failover(10, 3)); // throttled: a new incident, unannounced
    expect(t.handle(success(20, 4, 'primary'))).toEqual([]);
  });

  it('says nothing for a failure the retry fixed, nor for a success with nothing open', () => {
    const t = tracker();
    expect(t.handle(failure(0, 1))).toEqual([]);
    expect(t.handle(success(5, 1, 'primary'))).toEqual([]);
  });

  it('raises auth (critical) on a rejected key, even from a background probe', () => {
    const t = tracker();
    const [alert] = t.handle(failure(0, 0, 'primary', { class: 'provider-only', kind: 'auth', status: 401, message: 'bad key' }));
    expect(alert).toMatchObject({ kind: 'auth', severity: 'critical', providers: ['primary'], affectedRequests: 0 });
    expect(alert!.errors).toEqual([{ provider: 'primary', class: 'provider-only', kind: 'auth', status: 401, message: 'bad key' }]);
  });

  it('raises the same critical alert for an account out of credit, worded as billing', () => {
    const t = tracker();
    const [alert] = t.handle(failure(0, 0, 'primary', { class: 'provider-only', kind: 'quota', status: 429, message: 'You exceeded your current quota' }));
    expect(alert).toMatchObject({ kind: 'auth', severity: 'critical', providers: ['primary'] });
    expect(alert!.summary).toMatch(/^primary is out of credit \/ billing \(429 quota\): add credit or raise its spend limit; retrying will not help/);
  });

  it('hands out only the kinds it is told to, yet still follows an incident it skipped with recovered', () => {
    const t = tracker(60_000, ['recovered']);
    expect(t.handle(failover(0, 1))).toEqual([]);
    expect(t.throttled).toBe(0);
    expect(t.handle(success(10, 2, 'primary'))).toMatchObject([{ kind: 'recovered' }]);
  });

  it('throttles exhausted across providers and closes it when any provider answers', () => {
    const t = tracker(60_000);
    const exhausted = (at: number, requestId: number): EngineEvent =>
      ({
        type: 'exhausted',
        at,
        requestId,
        ms: 2,
        attempts: [
          { provider: 'primary', outcome: 'failure', status: 503, error: server503, ms: 1 },
          { provider: 'backup', outcome: 'failure', error: { class: 'retryable', kind: 'connection', message: 'refused' }, ms: 1 },
        ],
      }) as EngineEvent;
    const [first] = t.handle(exhausted(0, 1));
    expect(first).toMatchObject({ kind: 'exhausted', severity: 'critical', providers: ['primary', 'backup'], affectedRequests: 1 });
    expect(first!.summary).toContain('primary: 503 server, backup: connection');
    expect(t.handle(exhausted(5, 2))).toEqual([]);
    expect(t.handle(success(10, 3, 'backup'))).toMatchObject([{ kind: 'recovered', providers: ['backup'], affectedRequests: 2, folded: 1 }]);
  });
});

describe('AlertTracker in fleet mode', () => {
  const shared = (at: number, available: boolean): EngineEvent =>
    ({ type: 'shared', at, available, detail: available ? 'back' : 'ECONNREFUSED' }) as EngineEvent;

  it('warns once when the shared health store is lost, and says when it is back', () => {
    const t = tracker(60_000);
    const [lost] = t.handle(shared(0, false));
    expect(lost).toMatchObject({ kind: 'fleet', severity: 'warning', providers: [] });
    expect(lost!.summary).toContain('ECONNREFUSED');
    expect(t.handle(shared(1_000, false))).toEqual([]);
    const [back] = t.handle(shared(90_000, true));
    expect(back).toMatchObject({ kind: 'recovered', severity: 'info', folded: 1 });
    expect(back!.summary).toContain('shares breaker state with the fleet again');
    expect(t.handle(shared(91_000, true))).toEqual([]);
  });

  it('stays quiet when the store comes back without a lost alert having gone out', () => {
    expect(tracker(60_000, ['exhausted']).handle(shared(0, true))).toEqual([]);
  });
});
