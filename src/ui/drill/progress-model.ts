import { describeOutcome, isSkipped } from '../../drill/checks.js';
import type { DrillProgress } from '../../drill/types.js';
import type { BreakerState } from '../../engine/types.js';
import { describeError, formatMs } from '../../report/view-model.js';

/** One scenario's line on the live view. */
export interface ScenarioRow {
  readonly name: string;
  readonly status: 'pending' | 'running' | 'pass' | 'fail' | 'skip';
  /** Once finished: `backup ×2` or the failed checks. */
  readonly outcome?: string;
  readonly ms?: number;
}

/** Everything the live drill view shows; pure data, built from the runner's progress only. */
export interface DrillViewState {
  readonly steadyState?: { readonly ok: boolean; readonly text: string };
  readonly rows: readonly ScenarioRow[];
  /** Breaker states in the running scenario's engine, by provider. */
  readonly breakers: Readonly<Record<string, BreakerState>>;
  /** The running scenario's latest steps, newest last. */
  readonly lines: readonly string[];
  /** The alert sinks' drill, once it starts: `sending to 2 sinks…`, then one verdict per sink. */
  readonly alerts?: { readonly ok: boolean | undefined; readonly text: string };
}

/** Steps of the running scenario kept on screen. */
const MAX_LINES = 5;

/** The view before anything ran: every selected scenario pending. */
export function initialDrillView(names: readonly string[]): DrillViewState {
  return { rows: names.map((name) => ({ name, status: 'pending' })), breakers: {}, lines: [] };
}

/** The view after one more progress report. */
export function reduceDrillView(state: DrillViewState, progress: DrillProgress): DrillViewState {
  switch (progress.type) {
    case 'steady-state': {
      const text = progress.result.providers
        .map((provider) => (provider.ok ? `✓ ${provider.name} ${formatMs(provider.ms)}` : `✗ ${provider.name}: ${provider.detail ?? 'no answer'}`))
        .join(' · ');
      return { ...state, steadyState: { ok: progress.result.ok, text: progress.result.ok ? text : `${text} — nothing was injected` } };
    }
    case 'scenario-start':
      return { ...state, rows: withRow(state.rows, progress.scenario.name, { status: 'running' }), breakers: {}, lines: [] };
    case 'step':
      return addLine(state, progress.text);
    case 'request':
      return addLine(state, `${progress.record.label}: ${describeOutcome(progress.record)} in ${formatMs(progress.record.endedAt - progress.record.startedAt)}`);
    case 'engine': {
      const event = progress.event;
      if (event.type === 'breaker') return { ...state, breakers: { ...state.breakers, [event.provider]: event.to } };
      if (event.type === 'restart') return addLine(state, `restart ${event.from} → ${event.to} (${describeError(event.error)}): partial output discarded`);
      return state;
    }
    case 'scenario-end': {
      const { result } = progress;
      if (isSkipped(result)) {
        const outcome = `skipped: ${result.checks[0]?.detail ?? 'nothing to do'}`;
        return { ...state, rows: withRow(state.rows, result.name, { status: 'skip', outcome, ms: result.ms }), lines: [] };
      }
      const failed = result.checks.filter((check) => !check.ok).map((check) => check.name);
      const answered = [...new Set(result.answeredBy.map((who) => who ?? 'no answer'))].join(' → ');
      const outcome = result.ok ? `answered by ${answered}` : `✗ ${failed.join('; ')}`;
      return { ...state, rows: withRow(state.rows, result.name, { status: result.ok ? 'pass' : 'fail', outcome, ms: result.ms }), lines: [] };
    }
    case 'alerts-start':
      return { ...state, alerts: { ok: undefined, text: `sending one drill alert to each of ${progress.sinks} sink(s)…` } };
    case 'alerts-end': {
      const text = progress.results
        .map((alert) => (alert.ok ? `✓ ${alert.sink} ${formatMs(alert.ms)}` : `✗ ${alert.sink}: ${alert.error ?? 'not delivered'}`))
        .join(' · ');
      return { ...state, alerts: { ok: progress.results.every((alert) => alert.ok), text } };
    }
  }
}

function withRow(rows: readonly ScenarioRow[], name: string, change: Partial<ScenarioRow>): ScenarioRow[] {
  return rows.map((row) => (row.name === name ? { ...row, ...change } : row));
}

function addLine(state: DrillViewState, line: string): DrillViewState {
  return { ...state, lines: [...state.lines, line].slice(-MAX_LINES) };
}
