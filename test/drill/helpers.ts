import { normalizeConfig } from '../../src/config/normalize.js';
import type { UnderstudyConfig } from '../../src/config/schema.js';
import { runDrill, type RunDrillOptions } from '../../src/drill/runner.js';
import { selectScenarios } from '../../src/drill/scenarios/index.js';
import type { DrillReport, ScenarioResult } from '../../src/drill/types.js';
import type { CheckOutcome } from '../../src/report/check-result.js';
import { startOfflineProviders, type OfflineProviders } from '../../src/mock/offline.js';

/** Runs `body` against a fresh offline primary and backup, closing them after. */
export async function withOffline<T>(body: (offline: OfflineProviders, config: UnderstudyConfig) => Promise<T>): Promise<T> {
  const offline = await startOfflineProviders();
  try {
    return await body(offline, normalizeConfig(offline.config));
  } finally {
    await offline.close();
  }
}

/** Runs the named scenarios (all when none) against `config`. */
export function drill(config: UnderstudyConfig, names: readonly string[] = [], options: Partial<RunDrillOptions> = {}): Promise<DrillReport> {
  const { scenarios, unknown } = selectScenarios(names);
  if (unknown.length > 0) throw new Error(`test asks for unknown scenarios: ${unknown.join(', ')}`);
  return runDrill({ config, scenarios, ...options });
}

/** The scenario's result (fails the test if it did not run). */
export function scenario(report: DrillReport, name: string): ScenarioResult {
  const result = report.scenarios.find((candidate) => candidate.name === name);
  if (!result) throw new Error(`scenario ${name} did not run (ran: ${report.scenarios.map((s) => s.name).join(', ')})`);
  return result;
}

/** The checks of a scenario that failed, by name. */
export function failedChecks(result: ScenarioResult): string[] {
  return result.checks.filter((check: CheckOutcome) => !check.ok).map((check) => check.name);
}

/** A readable dump of failed checks, for assertion messages. */
export function explain(report: DrillReport): string {
  return report.scenarios
    .flatMap((result) => result.checks.filter((check) => !check.ok).map((check) => `${result.name}: ${check.name} — ${check.detail ?? ''}`))
    .join('\n');
}
