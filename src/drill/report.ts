import type { CheckGroup } from '../report/check-result.js';
import type { Annotation } from '../report/github.js';
import { markdownTable } from '../report/github.js';
import { formatMs } from '../report/view-model.js';
import { isSkipped } from './checks.js';
import { describeCost } from './cost.js';
import { foldRuns } from './fold.js';
import { describeSteadyStateFailure } from './steady-state.js';
import type { AlertCheck, DrillReport, ScenarioResult } from './types.js';

/**
 * A drill report in every output shape: the `--json` document, check groups (JUnit), table rows
 * (terminal and step summary), a one-line summary and CI annotations. Pure: no writing here.
 */

/** The name the steady-state step has as a check group. */
export const STEADY_STATE = 'steady state';

/** The name the alert sinks' drill has as a check group. */
export const ALERTS = 'alerts';

/** The scenario whose calls cost real tokens (the team's own prompts), so its cost is shown. */
const COSTED_SCENARIO = 'tasks';

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
      ...(isSkipped(scenario) ? { skipped: true } : {}),
      checks: scenario.checks.map((check) => ({ name: check.name, ok: check.ok, detail: check.detail ?? '' })),
    })),
    alerts: report.alerts.map((alert) => ({ sink: alert.sink, ok: alert.ok, ms: alert.ms, error: alert.error ?? null })),
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
  return [steady, ...report.scenarios.map(scenarioGroup), ...(report.alerts.length > 0 ? [alertsGroup(report.alerts)] : [])];
}

/** One check per sink: did it take the drill alert. */
function alertsGroup(alerts: readonly AlertCheck[]): CheckGroup {
  const group: CheckGroup = {
    name: ALERTS,
    ok: alerts.every((alert) => alert.ok),
    ms: Math.max(...alerts.map((alert) => alert.ms)),
    checks: alerts.map((alert) => ({ name: `${alert.sink} takes a drill alert`, ok: alert.ok, ms: alert.ms, detail: alertDetail(alert) })),
  };
  if (!group.ok) {
    group.failure = {
      message: failedAlerts(alerts),
      type: 'alert-sink',
      hint: 'an alert path that was never tested is not there: fix the sink (URL, token, program) and drill again',
    };
  }
  return group;
}

/** `delivered in 12 ms`, or why not. */
function alertDetail(alert: AlertCheck): string {
  return alert.ok ? `delivered in ${formatMs(alert.ms)}` : `not delivered: ${alert.error ?? 'unknown error'}`;
}

/** `webhook http://127.0.0.1:4711/… not delivered: fetch failed` for each sink that failed. */
function failedAlerts(alerts: readonly AlertCheck[]): string {
  return alerts
    .filter((alert) => !alert.ok)
    .map((alert) => `${alert.sink} ${alertDetail(alert)}`)
    .join('\n');
}

/** The alert table's column headers. */
export const ALERT_HEADERS = ['alert sink', 'verdict', 'detail'] as const;

/** One row per alert sink (none when alerts were not drilled). */
export function alertRows(report: DrillReport): string[][] {
  return report.alerts.map((alert) => [alert.sink, alert.ok ? '✓ pass' : '✗ FAIL', alertDetail(alert)]);
}

/** `tasks cost: primary 2 requests, 310 tokens · …` when the team's tasks ran; undefined otherwise. */
export function drillCost(report: DrillReport): string | undefined {
  const costed = report.scenarios.find((scenario) => scenario.name === COSTED_SCENARIO && !isSkipped(scenario));
  return costed ? `${COSTED_SCENARIO} cost: ${describeCost(costed)}` : undefined;
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
    isSkipped(scenario) ? '– skip' : scenario.ok ? '✓ pass' : '✗ FAIL',
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

/**
 * One line: passed, failed (which scenarios, which alert sinks), stopped at steady state, or
 * interrupted. `tolerated` scenarios (failed, but not required with `--require`) are named
 * without failing the line.
 */
export function drillSummary(report: DrillReport, tolerated: readonly string[] = []): string {
  const took = formatMs(report.ms);
  const unreached = report.alerts.filter((alert) => !alert.ok);
  const alertsFailed = `${unreached.length} of ${report.alerts.length} alert sink${report.alerts.length === 1 ? '' : 's'} not reached (${unreached.map((alert) => alert.sink).join(', ')})`;
  if (!report.steadyState.ok) {
    const alerts = unreached.length > 0 ? `; ${alertsFailed}` : '';
    return `drill FAILED at steady state: ${describeSteadyStateFailure(report.steadyState)} — nothing was injected${alerts}`;
  }
  if (report.interrupted) return `drill interrupted (Ctrl-C) after ${report.scenarios.length} finished scenario(s) in ${took}; every fault cleared`;
  const failed = report.scenarios.filter((scenario) => !scenario.ok && !tolerated.includes(scenario.name));
  const skipped = report.scenarios.filter(isSkipped);
  const total = report.scenarios.length;
  if (failed.length === 0 && unreached.length === 0) {
    const skips = skipped.length > 0 ? ` (${skipped.length} skipped: ${skipped.map((s) => s.name).join(', ')})` : '';
    const alerts = report.alerts.length > 0 ? `, ${report.alerts.length}/${report.alerts.length} alert sink${report.alerts.length === 1 ? '' : 's'} reached` : '';
    const ran = total - skipped.length;
    const passed = ran - tolerated.length;
    const notRequired = tolerated.length > 0 ? `; failed but not required: ${tolerated.join(', ')}` : '';
    return `drill passed: ${passed}/${ran} scenarios${skips}${alerts} in ${took}${notRequired}`;
  }
  const parts = [
    ...(failed.length > 0 ? [`${failed.length} of ${total} scenarios failed (${failed.map((s) => s.name).join(', ')})`] : []),
    ...(unreached.length > 0 ? [alertsFailed] : []),
    ...(tolerated.length > 0 ? [`failed but not required: ${tolerated.join(', ')}`] : []),
  ];
  return `drill FAILED: ${parts.join('; ')} in ${took}`;
}

/**
 * A GitHub annotation per failed scenario (or one for a failed steady state), and one per
 * unreached alert sink; a `tolerated` scenario's is a warning, since it does not fail the drill.
 */
export function drillAnnotations(report: DrillReport, tolerated: readonly string[] = []): Annotation[] {
  const alerts = report.alerts
    .filter((alert) => !alert.ok)
    .map((alert) => ({ title: `understudy drill: alert sink ${alert.sink}`, message: `${alert.sink} ${alertDetail(alert)}` }));
  if (!report.steadyState.ok) {
    return [{ title: 'understudy drill: steady state', message: `${describeSteadyStateFailure(report.steadyState)} — nothing was injected` }, ...alerts];
  }
  const scenarios = report.scenarios
    .filter((scenario) => !scenario.ok)
    .map((scenario): Annotation => ({
      title: `understudy drill: ${scenario.name}`,
      message: failedChecks(scenario),
      ...(tolerated.includes(scenario.name) ? { level: 'warning' } : {}),
    }));
  return [...scenarios, ...alerts];
}

/** The step summary: the summary line, the scenario table, the tasks' cost and the alert sinks in Markdown. */
export function drillMarkdown(report: DrillReport, tolerated: readonly string[] = []): string {
  const rows = drillRows(report);
  const table = rows.length > 0 ? `\n${markdownTable(TABLE_HEADERS, rows)}` : '\n';
  const cost = drillCost(report);
  const alerts = report.alerts.length > 0 ? `\n${markdownTable(ALERT_HEADERS, alertRows(report))}` : '';
  return `### understudy drill\n\n${drillSummary(report, tolerated)}\n${table}${cost ? `\n${cost}\n` : ''}${alerts}`;
}

/**
 * Step outputs for a later step (`steps.<id>.outputs.ok`): the verdict, counts, the failed
 * scenarios and the summary line.
 */
export function drillOutputs(report: DrillReport, ok: boolean, tolerated: readonly string[] = []): Record<string, string> {
  const ran = report.scenarios.filter((scenario) => !isSkipped(scenario));
  const failed = ran.filter((scenario) => !scenario.ok);
  return {
    ok: String(ok),
    passed: String(ran.length - failed.length),
    failed: String(failed.length),
    'failed-scenarios': failed.map((scenario) => scenario.name).join(','),
    summary: drillSummary(report, tolerated),
  };
}

/** `check — detail; check — detail` for the checks that failed. */
function failedChecks(scenario: ScenarioResult): string {
  return scenario.checks
    .filter((check) => !check.ok && !check.warning && !check.skipped)
    .map((check) => `${check.name} — ${check.detail ?? 'failed'}`)
    .join('\n');
}
