import { describe, expect, test } from 'vitest';
import { initialDrillView, reduceDrillView, type DrillViewState } from '../../src/ui/drill/progress-model.js';
import { serverError } from '../../src/drill/scenarios/server-error.js';
import type { DrillProgress, ScenarioResult } from '../../src/drill/types.js';

const result = (ok: boolean): ScenarioResult => ({
  name: 'server-error',
  summary: serverError.summary,
  ok,
  failoverMs: 80,
  recoveryMs: null,
  answeredBy: ['backup', 'backup'],
  requests: { primary: 3, backup: 2 },
  tokens: { primary: 0, backup: 22 },
  checks: [
    { name: 'the primary was retried before failing over', ok },
    { name: 'failed over from primary to backup', ok: true },
  ],
  ms: 120,
});

function play(...steps: DrillProgress[]): DrillViewState {
  return steps.reduce(reduceDrillView, initialDrillView(['bad-key', 'server-error']));
}

describe('the live drill view model', () => {
  test('a running scenario shows its breaker changes and latest steps; the others stay pending', () => {
    const state = play(
      { type: 'steady-state', result: { ok: true, providers: [{ name: 'primary', ok: true, ms: 12 }, { name: 'backup', ok: true, ms: 9 }] } },
      { type: 'scenario-start', scenario: serverError, index: 1, total: 2 },
      { type: 'step', scenario: 'server-error', text: 'inject: 503' },
      { type: 'engine', scenario: 'server-error', event: { type: 'breaker', at: 1, provider: 'primary', from: 'closed', to: 'open' } },
    );
    expect(state.steadyState).toEqual({ ok: true, text: '✓ primary 12 ms · ✓ backup 9 ms' });
    expect(state.rows.map((row) => row.status)).toEqual(['pending', 'running']);
    expect(state.breakers).toEqual({ primary: 'open' });
    expect(state.lines).toEqual(['inject: 503']);
  });

  test('a finished scenario shows who answered, or the checks that failed', () => {
    expect(play({ type: 'scenario-end', result: result(true) }).rows[1]).toMatchObject({ status: 'pass', outcome: 'answered by backup' });
    expect(play({ type: 'scenario-end', result: result(false) }).rows[1]).toMatchObject({
      status: 'fail',
      outcome: '✗ the primary was retried before failing over',
    });
  });

  test('a failed steady state says nothing was injected', () => {
    const state = play({ type: 'steady-state', result: { ok: false, providers: [{ name: 'backup', ok: false, ms: 3, detail: '401 key rejected' }] } });
    expect(state.steadyState).toEqual({ ok: false, text: '✗ backup: 401 key rejected — nothing was injected' });
  });

  test('a skipped scenario reads as skipped, with the reason; the alert sinks get their own line', () => {
    const skipped: ScenarioResult = {
      ...result(true),
      name: 'server-error',
      answeredBy: [],
      checks: [{ name: 'drill.tasks configured', ok: true, skipped: true, detail: 'no drill.tasks in the config' }],
    };
    expect(play({ type: 'scenario-end', result: skipped }).rows[1]).toMatchObject({ status: 'skip', outcome: 'skipped: no drill.tasks in the config' });

    const sending = play({ type: 'alerts-start', sinks: 2 });
    expect(sending.alerts).toEqual({ ok: undefined, text: 'sending one drill alert to each of 2 sink(s)…' });
    const done = play(
      { type: 'alerts-start', sinks: 2 },
      {
        type: 'alerts-end',
        results: [
          { sink: 'webhook http://127.0.0.1:1/…', ok: true, ms: 12 },
          { sink: 'slack hooks.slack.com', ok: false, ms: 40, error: 'HTTP 404: no_service' },
        ],
      },
    );
    expect(done.alerts).toEqual({ ok: false, text: '✓ webhook http://127.0.0.1:1/… 12 ms · ✗ slack hooks.slack.com: HTTP 404: no_service' });
  });
});
