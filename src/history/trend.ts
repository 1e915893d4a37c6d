import { percentile } from '../report/series.js';
import type { HistoryRecord } from './record.js';

/**
 * The trend of each scenario over a window of drill runs: how often it passed, and how its
 * failover and recovery times are spread and moving — so a fallback that is slowly getting
 * slower shows before it fails. Pure.
 */

/** The name steady state has among the scenarios' trends: a run that fails it tests nothing else. */
export const STEADY_STATE = 'steady state';

/** p50 and p95 of a time, in ms; null without a single measurement. */
export interface Spread {
  readonly p50: number;
  readonly p95: number;
}

export interface ScenarioTrend {
  readonly name: string;
  /** Runs in the window that ran this scenario (skipped ones not counted). */
  readonly runs: number;
  readonly passed: number;
  /** passed / runs, from 0 to 1. */
  readonly passRate: number;
  readonly failoverMs: Spread | null;
  readonly recoveryMs: Spread | null;
  /** Failover times, oldest first, for a sparkline. */
  readonly failoverSeries: readonly number[];
  /**
   * The newer half's failover p50 against the older half's, as a fraction (+0.4 is 40% slower);
   * null with fewer than two measurements in either half.
   */
  readonly failoverChange: number | null;
  readonly last: { readonly at: string; readonly ok: boolean };
}

export interface HistoryTrend {
  /** Runs in the window (the last N of the file). */
  readonly runs: number;
  readonly from: string | undefined;
  readonly to: string | undefined;
  /** Steady state first, then each scenario in the order the drill runs them. */
  readonly scenarios: readonly ScenarioTrend[];
  /** The distinct provider lists (names in failover order) the window's runs drilled, oldest first. */
  readonly providerLists: readonly (readonly string[])[];
  /** Runs in the window against the offline mock providers rather than the config's. */
  readonly offlineRuns: number;
}

/** A half needs at least this many measurements for a change to mean anything. */
const MIN_HALF = 2;

/** The trend over the last `last` runs (every run when `last` is undefined). */
export function historyTrend(records: readonly HistoryRecord[], last?: number): HistoryTrend {
  const window = last === undefined ? records : records.slice(-last);
  const names: string[] = [];
  for (const record of window) for (const scenario of record.scenarios) if (!names.includes(scenario.name)) names.push(scenario.name);

  const steady = window.map((record) => ({ at: record.at, ok: record.steadyState, failoverMs: null, recoveryMs: null }));
  const scenarios = names.map((name) =>
    trendOf(
      name,
      window.flatMap((record) =>
        record.scenarios.filter((scenario) => scenario.name === name && scenario.skipped !== true).map((scenario) => ({ ...scenario, at: record.at })),
      ),
    ),
  );
  const providerLists: string[][] = [];
  for (const record of window) {
    if (!providerLists.some((list) => list.join('\n') === record.providers.join('\n'))) providerLists.push(record.providers);
  }
  return {
    runs: window.length,
    from: window[0]?.at,
    to: window.at(-1)?.at,
    providerLists,
    offlineRuns: window.filter((record) => record.offline).length,
    scenarios: [...(steady.length > 0 ? [trendOf(STEADY_STATE, steady)] : []), ...scenarios.filter((trend) => trend.runs > 0)],
  };
}

interface Run {
  readonly at: string;
  readonly ok: boolean;
  readonly failoverMs: number | null;
  readonly recoveryMs: number | null;
}

function trendOf(name: string, runs: readonly Run[]): ScenarioTrend {
  const passed = runs.filter((run) => run.ok).length;
  const failovers = measured(runs.map((run) => run.failoverMs));
  const latest = runs.at(-1);
  return {
    name,
    runs: runs.length,
    passed,
    passRate: runs.length === 0 ? 0 : passed / runs.length,
    failoverMs: spreadOf(failovers),
    recoveryMs: spreadOf(measured(runs.map((run) => run.recoveryMs))),
    failoverSeries: failovers,
    failoverChange: changeOf(failovers),
    last: { at: latest?.at ?? '', ok: latest?.ok ?? false },
  };
}

function measured(values: readonly (number | null)[]): number[] {
  return values.filter((value): value is number => value !== null);
}

function spreadOf(values: readonly number[]): Spread | null {
  const p50 = percentile(values, 50);
  const p95 = percentile(values, 95);
  return p50 === undefined || p95 === undefined ? null : { p50, p95 };
}

/** Older half's p50 to newer half's (the middle value of an odd count belongs to neither). */
function changeOf(series: readonly number[]): number | null {
  const half = Math.floor(series.length / 2);
  if (half < MIN_HALF) return null;
  const older = percentile(series.slice(0, half), 50);
  const newer = percentile(series.slice(-half), 50);
  if (older === undefined || newer === undefined || older === 0) return null;
  return (newer - older) / older;
}
