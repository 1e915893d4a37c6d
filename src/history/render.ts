import { formatMs } from '../report/format.js';
import { markdownTable } from '../report/github.js';
import { sparkline } from '../report/series.js';
import type { HistoryProblem } from './file.js';
import type { HistoryTrend, ScenarioTrend, Spread } from './trend.js';

/** A history trend as a table, notes and the `--json` document. Pure: no writing here. */

export const TREND_HEADERS = ['scenario', 'runs', 'pass rate', 'failover p50', 'p95', 'recovery p50', 'p95', 'failover trend', 'last run (UTC)'] as const;

/** Failover this much slower (newer half's p50 against the older half's) earns a note under the table. */
export const SLOWER_NOTE_AT = 0.25;

/** The sparkline shows at most this many runs. */
const SPARK_WIDTH = 12;

/** One row per scenario: runs, pass rate, failover and recovery spread, the failover sparkline and change, the last verdict. */
export function trendRows(trend: HistoryTrend): string[][] {
  return trend.scenarios.map((scenario) => [
    scenario.name,
    String(scenario.runs),
    `${percent(scenario.passRate)} (${scenario.passed}/${scenario.runs})`,
    ...spreadCells(scenario.failoverMs),
    ...spreadCells(scenario.recoveryMs),
    trendCell(scenario),
    `${scenario.last.ok ? '✓' : '✗'} ${scenario.last.at.slice(0, 16).replace('T', ' ')}`,
  ]);
}

/**
 * Lines under the table: runs that do not compare (another provider list, offline mocks), then
 * what is getting worse (a scenario that failed in the window, a slower failover).
 */
export function trendNotes(trend: HistoryTrend): string[] {
  const failing = trend.scenarios.filter((scenario) => scenario.passed < scenario.runs);
  const slower = trend.scenarios.filter((scenario) => (scenario.failoverChange ?? 0) >= SLOWER_NOTE_AT);
  // Times from different provider lists, or from the offline mocks, are not one trend.
  const mixed = [
    ...(trend.providerLists.length > 1 ? [`these runs drilled ${trend.providerLists.length} provider lists (${trend.providerLists.map((list) => list.join(' → ')).join('; ')}): times before and after a change do not compare`] : []),
    ...(trend.offlineRuns > 0 && trend.offlineRuns < trend.runs ? [`${trend.offlineRuns} of these runs were offline (mock providers): their times do not compare with the others`] : []),
  ];
  return [
    ...mixed,
    ...failing.map((scenario) => `${scenario.name} failed ${scenario.runs - scenario.passed} of its last ${scenario.runs} runs${scenario.last.ok ? '' : ', the latest among them'}`),
    ...slower.map((scenario) => `${scenario.name}: failover is getting slower, p50 ${signedPercent(scenario.failoverChange ?? 0)} from the older half of these runs to the newer`),
  ];
}

/** `20 runs from 2026-11-12 03:17 to 2026-12-02 03:17 (the last 20 of 57)`. */
export function windowLine(trend: HistoryTrend, total: number): string {
  const range = trend.from && trend.to ? ` from ${minute(trend.from)} to ${minute(trend.to)} UTC` : '';
  const of = trend.runs < total ? ` (the last ${trend.runs} of ${total})` : '';
  return `${trend.runs} run${trend.runs === 1 ? '' : 's'}${range}${of}`;
}

/** The step summary: the window, the table and the notes in Markdown. */
export function trendMarkdown(trend: HistoryTrend, total: number): string {
  const notes = trendNotes(trend).map((note) => `- ${note}\n`).join('');
  return `### understudy drill trend\n\n${windowLine(trend, total)}\n\n${markdownTable(TREND_HEADERS, trendRows(trend))}${notes ? `\n${notes}` : ''}`;
}

/** `FILE:LINE: message` for a line that was left out. */
export function problemLine(file: string, problem: HistoryProblem): string {
  return `${file}:${problem.line}: ${problem.message} (line left out)`;
}

/** The `--json` document. */
export function trendJson(file: string, total: number, last: number | undefined, trend: HistoryTrend, problems: readonly HistoryProblem[]): object {
  return {
    file,
    runs: total,
    window: { last: last ?? null, runs: trend.runs, from: trend.from ?? null, to: trend.to ?? null, providerLists: trend.providerLists, offlineRuns: trend.offlineRuns },
    scenarios: trend.scenarios.map((scenario) => ({
      name: scenario.name,
      runs: scenario.runs,
      passed: scenario.passed,
      passRate: scenario.passRate,
      failoverMs: scenario.failoverMs,
      recoveryMs: scenario.recoveryMs,
      failoverChange: scenario.failoverChange,
      failoverSeries: scenario.failoverSeries,
      last: scenario.last,
    })),
    problems,
  };
}

function spreadCells(spread: Spread | null): [string, string] {
  return spread ? [formatMs(spread.p50), formatMs(spread.p95)] : ['—', '—'];
}

function trendCell(scenario: ScenarioTrend): string {
  if (scenario.failoverSeries.length === 0) return '—';
  const change = scenario.failoverChange === null ? '' : ` ${signedPercent(scenario.failoverChange)}`;
  return `${sparkline(scenario.failoverSeries, SPARK_WIDTH)}${change}`;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

function signedPercent(fraction: number): string {
  const rounded = Math.round(fraction * 100);
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}

function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}
