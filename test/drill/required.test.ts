import { describe, expect, it } from 'vitest';
import { drillSummary } from '../../src/drill/report.js';
import { checkRequired, judgeDrill } from '../../src/drill/required.js';
import type { DrillReport, ScenarioResult } from '../../src/drill/types.js';
import { UsageError } from '../../src/terminal/exit-codes.js';

const scenario = (name: string, ok: boolean): ScenarioResult => ({
  name,
  summary: name,
  ok,
  failoverMs: null,
  recoveryMs: null,
  answeredBy: [],
  requests: {},
  tokens: {},
  checks: [{ name: 'check', ok }],
  ms: 1,
});

const report = (scenarios: ScenarioResult[], overrides: Partial<DrillReport> = {}): DrillReport => ({
  ok: scenarios.every((result) => result.ok),
  steadyState: { ok: true, providers: [] },
  scenarios,
  alerts: [],
  ms: 10,
  interrupted: false,
  ...overrides,
});

describe('drill --require', () => {
  const mixed = report([scenario('bad-key', true), scenario('timeout', false)]);

  it('without it, every scenario is required', () => {
    expect(judgeDrill(mixed, undefined)).toEqual({ ok: false, required: undefined, tolerated: [] });
  });

  it('passes when only a scenario that is not required failed, and names it', () => {
    const verdict = judgeDrill(mixed, ['bad-key']);
    expect(verdict).toEqual({ ok: true, required: ['bad-key'], tolerated: ['timeout'] });
    expect(drillSummary(mixed, verdict.tolerated)).toBe('drill passed: 1/2 scenarios in 10 ms; failed but not required: timeout');
  });

  it('fails when a required scenario failed, naming both kinds', () => {
    const both = report([scenario('bad-key', false), scenario('timeout', false)]);
    const verdict = judgeDrill(both, ['bad-key']);
    expect(verdict.ok).toBe(false);
    expect(drillSummary(both, verdict.tolerated)).toBe('drill FAILED: 1 of 2 scenarios failed (bad-key); failed but not required: timeout in 10 ms');
  });

  it('steady state, alert sinks and an interruption are always required', () => {
    expect(judgeDrill(report([], { steadyState: { ok: false, providers: [] } }), []).ok).toBe(false);
    expect(judgeDrill(report([scenario('bad-key', true)], { alerts: [{ sink: 'webhook', ok: false, ms: 1 }] }), ['bad-key']).ok).toBe(false);
    expect(judgeDrill(report([scenario('bad-key', true)], { interrupted: true }), ['bad-key']).ok).toBe(false);
  });

  it('a required scenario that did not run fails the drill', () => {
    expect(judgeDrill(report([scenario('bad-key', true)]), ['recovery']).ok).toBe(false);
  });

  it('requiring a scenario the drill does not run is a usage error naming it', () => {
    expect(() => checkRequired(['recovery'], ['bad-key'])).toThrow(UsageError);
    expect(() => checkRequired(['recovery'], ['bad-key'])).toThrow('--require "recovery": not among the scenarios this drill runs (bad-key)');
    expect(() => checkRequired(['bad-key'], ['bad-key', 'timeout'])).not.toThrow();
  });
});
