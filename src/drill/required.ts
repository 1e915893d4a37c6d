import { UsageError } from '../terminal/exit-codes.js';
import type { DrillReport } from './types.js';

/**
 * `drill --require NAME`: the scenarios whose failure fails the drill. A team adding a scenario
 * can run it for a while as information only, and a job stays red for the checks it depends on.
 * Steady state and the alert sinks are always required: without them no scenario means anything.
 */

/** A drill's verdict once `--require` is applied. */
export interface DrillVerdict {
  readonly ok: boolean;
  /** The scenarios given with `--require`; undefined without it (every scenario is required). */
  readonly required: readonly string[] | undefined;
  /** Scenarios that failed but are not required: reported, never failing the drill. */
  readonly tolerated: readonly string[];
}

/** Checks that every `--require` name is one of the scenarios this drill runs. */
export function checkRequired(required: readonly string[], planned: readonly string[]): void {
  const missing = required.filter((name) => !planned.includes(name));
  if (missing.length === 0) return;
  throw new UsageError(
    `--require ${missing.map((name) => `"${name}"`).join(', ')}: not among the scenarios this drill runs (${planned.join(', ')})`,
    'require only scenarios that run (see understudy drill --list; --scenario picks them)',
  );
}

/** The drill passes when it is whole (not interrupted), steady state and alerts pass, and every required scenario passes. */
export function judgeDrill(report: DrillReport, required: readonly string[] | undefined): DrillVerdict {
  if (required === undefined) return { ok: report.ok, required, tolerated: [] };
  const failed = report.scenarios.filter((scenario) => !scenario.ok).map((scenario) => scenario.name);
  const ran = new Set(report.scenarios.map((scenario) => scenario.name));
  const ok =
    !report.interrupted &&
    report.steadyState.ok &&
    report.alerts.every((alert) => alert.ok) &&
    required.every((name) => ran.has(name)) &&
    failed.every((name) => !required.includes(name));
  return { ok, required, tolerated: failed.filter((name) => !required.includes(name)) };
}

/** `not required, so not failing the drill: timeout, slow-first-token`, when any such scenario failed. */
export function describeTolerated(verdict: DrillVerdict): string | undefined {
  if (verdict.tolerated.length === 0) return undefined;
  return `not required, so not failing the drill: ${verdict.tolerated.join(', ')} (required: ${verdict.required?.join(', ') ?? 'all'})`;
}
