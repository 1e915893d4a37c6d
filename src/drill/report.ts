import type { CheckGroup } from '../report/check-result.js';
import type { Annotation } from '../report/github.js';
import { markdownTable } from '../report/github.js';
import { formatMs } from '../report/view-model.js';
import { foldRuns } from './fold.js';
import { describeSteadyStateFailure } from './steady-state.js';
import type { DrillReport, ScenarioResult } from './types.js';

/**
 * A drill report in every output shape: the `--json` document, check groups (JUnit), table rows
 * (terminal and step summary), a one-line summary and CI annotations. Pure: no writing here.
 */

/** The name the steady-state step has as a check group. */
export const STEADY_STATE = 'steady state';

/** The `--json` document. */
export function drillJson(report: DrillReport): object {
  return {
    ok: report.ok,
    interrupted: report.interrupted,
    ms: report.ms,
    steadyState: report.steadyState,
    scenarios: report.scenarios.map((scenario) => ({
      name: scenario.name,
      ok: scenario.ok,
      failoverMs: scenario.failoverMs,
      recoveryMs: scenario.recoveryMs,
      answeredBy: scenario.answeredBy,
      requests: scenario.requests,
      tokens: scenario.tokens,
      ms: scenario.ms,
      checks: scenario.checks.map((check) => ({ name: check.name, ok: check.ok, detail: check.detail ?? '' })),
    })),
  };
}

/** Steady state and each scenario as a check group: one JUnit testcase per check. */
export function drillGroups(report: DrillReport): CheckGroup[] {
  const steady: CheckGroup = {
    name: STEADY_STATE,
    ok: report.steadyState.ok,
    checks: report.steadyState.providers.map((provider) => ({
      name: `${provider.name} answers a tiny completion`,
      ok: provider.ok,
      ms: provider.ms,
      detail: provider.ok ? `answered in ${formatMs(provider.ms)}` : `${provider.name} did not answer: ${provider.detail ?? 'unknown error'}`,
    })),
  };
  if (!report.steadyState.ok) {
    steady.failure = {
      message: `${describeSteadyStateFailure(report.steadyState)} — nothing was injected`,
      type: 'steady-state',
      hint: 'fix the provider (key, URL, model) and run `understudy ping`',
    };
  }
  return [steady, ...report.scenarios.map(scenarioGroup)];
}

function scenarioGroup(scenario: ScenarioResult): CheckGroup {
  const group: CheckGroup = { name: scenario.name, ok: scenario.ok, ms: scenario.ms, checks: scenario.checks.map((check) => ({ ...check })) };
  if (!scenario.ok) group.failure = { message: failedChecks(scenario), type: 'drill' };
  return group;
}

/** The table's column headers. */
export const TABLE_HEADERS = ['scenario', 'verdict', 'answered by', 'failover', 'recovery', 'requests'] as const;

/** One row per scenario: verdict, who answered, failover and recovery times, calls per provider. */
export function drillRows(report: DrillReport): string[][] {
  return report.scenarios.map((scenario) => [
    scenario.name,
    scenario.ok ? '✓ pass' : '✗ FAIL',
    answeredByCell(scenario.answeredBy),
    scenario.failoverMs === null ? '—' : formatMs(scenario.failoverMs),
    scenario.recoveryMs === null ? '—' : formatMs(scenario.recoveryMs),
    Object.entries(scenario.requests)
      .map(([provider, calls]) => `${provider} ${calls}`)
      .join(' · '),
  ]);
}

/** `backup ×2 → primary ×2` in the order they answered; `no answer` for a request that got none. */
function answeredByCell(answeredBy: readonly (string | null)[]): string {
  return foldRuns(answeredBy.map((name) => name ?? 'no answer')).join(' → ') || '—';
}

/** One line: passed, failed (which), stopped at steady state, or interrupted. */
export function drillSummary(report: DrillReport): string {
  const took = formatMs(report.ms);
  if (!report.steadyState.ok) {
    return `drill FAILED at steady state: ${describeSteadyStateFailure(report.steadyState)} — nothing was injected`;
  }
  const failed = report.scenarios.filter((scenario) => !scenario.ok);
  if (report.interrupted) return `drill interrupted (Ctrl-C) after ${report.scenarios.length} finished scenario(s) in ${took}; every fault cleared`;
  if (failed.length === 0) return `drill passed: ${report.scenarios.length}/${report.scenarios.length} scenarios in ${took}`;
  return `drill FAILED: ${failed.length} of ${report.scenarios.length} scenarios failed (${failed.map((s) => s.name).join(', ')}) in ${took}`;
}

/** A GitHub annotation per failed scenario (or one for a failed steady state). */
export function drillAnnotations(report: DrillReport): Annotation[] {
  if (!report.steadyState.ok) {
    return [{ title: 'understudy drill: steady state', message: `${describeSteadyStateFailure(report.steadyState)} — nothing was injected` }];
  }
  return report.scenarios
    .filter((scenario) => !scenario.ok)
    .map((scenario) => ({ title: `understudy drill: ${scenario.name}`, message: failedChecks(scenario) }));
}

/** The step summary: the summary line and the table in Markdown. */
export function drillMarkdown(report: DrillReport): string {
  const rows = drillRows(report);
  const table = rows.length > 0 ? `\n${markdownTable(TABLE_HEADERS, rows)}` : '\n';
  return `### understudy drill\n\n${drillSummary(report)}\n${table}`;
}

/** `check — detail; check — detail` for the checks that failed. */
function failedChecks(scenario: ScenarioResult): string {
  return scenario.checks
    .filter((check) => !check.ok && !check.warning && !check.skipped)
    .map((check) => `${check.name} — ${check.detail ?? 'failed'}`)
    .join('\n');
}
