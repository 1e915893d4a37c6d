import { z } from 'zod';
import { isSkipped } from '../drill/checks.js';
import type { DrillReport } from '../drill/types.js';

/**
 * One drill run as a line of a history file (`drill --history FILE.jsonl`): verdicts and timings
 * only — no request text, no error detail, no key — so the file can be kept and shared.
 */

/** The history line format's version; a reader refuses lines of a newer one instead of misreading them. */
export const HISTORY_VERSION = 1;

const scenarioSchema = z.object({
  name: z.string().min(1),
  ok: z.boolean(),
  /** The scenario had nothing to do (no drill.tasks): not a run of it. */
  skipped: z.boolean().optional(),
  failoverMs: z.number().nonnegative().nullable(),
  recoveryMs: z.number().nonnegative().nullable(),
  ms: z.number().nonnegative(),
});

/** What a history line must hold; fields added later are ignored by this version. */
export const historyRecordSchema = z.object({
  v: z.literal(HISTORY_VERSION),
  /** When the run finished (ISO 8601). */
  at: z.iso.datetime({ offset: true }),
  /** The drill's verdict, as its exit code said (with `--require`, only the required scenarios count). */
  ok: z.boolean(),
  ms: z.number().nonnegative(),
  offline: z.boolean(),
  /** The providers by name, in failover order: the trend is only comparable while they stay the same. */
  providers: z.array(z.string()),
  steadyState: z.boolean(),
  scenarios: z.array(scenarioSchema),
  alerts: z.object({ sinks: z.number().int().nonnegative(), reached: z.number().int().nonnegative() }),
  required: z.array(z.string()).optional(),
});

export type HistoryRecord = z.infer<typeof historyRecordSchema>;
export type HistoryScenario = z.infer<typeof scenarioSchema>;

/** What a history line says about the run besides the report. */
export interface RunContext {
  readonly at: Date;
  readonly ok: boolean;
  readonly offline: boolean;
  readonly providers: readonly string[];
  readonly required: readonly string[] | undefined;
}

/** The history line for a finished drill. */
export function historyRecord(report: DrillReport, context: RunContext): HistoryRecord {
  return {
    v: HISTORY_VERSION,
    at: context.at.toISOString(),
    ok: context.ok,
    ms: report.ms,
    offline: context.offline,
    providers: [...context.providers],
    steadyState: report.steadyState.ok,
    scenarios: report.scenarios.map((scenario) => ({
      name: scenario.name,
      ok: scenario.ok,
      ...(isSkipped(scenario) ? { skipped: true } : {}),
      failoverMs: scenario.failoverMs,
      recoveryMs: scenario.recoveryMs,
      ms: scenario.ms,
    })),
    alerts: { sinks: report.alerts.length, reached: report.alerts.filter((alert) => alert.ok).length },
    ...(context.required ? { required: [...context.required] } : {}),
  };
}
