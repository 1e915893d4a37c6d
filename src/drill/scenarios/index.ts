import type { UnderstudyConfig } from '../../config/schema.js';
import type { Scenario } from '../types.js';
import { badKey } from './bad-key.js';
import { badRequest } from './bad-request.js';
import { badUrl } from './bad-url.js';
import { malformed } from './malformed.js';
import { midStreamDrop } from './mid-stream-drop.js';
import { rateLimit } from './rate-limit.js';
import { recovery } from './recovery.js';
import { serverError } from './server-error.js';
import { slowFirstToken } from './slow-first-token.js';
import { slowPrimary, slowTail } from './slow.js';
import { tasks } from './tasks.js';
import { timeout } from './timeout.js';

/**
 * Every scenario, in the order a full drill runs them: configuration faults, outages, streams,
 * the control, recovery, and last the team's own tasks on every provider.
 */
export const SCENARIOS: readonly Scenario[] = [
  badKey,
  badUrl,
  serverError,
  rateLimit,
  timeout,
  slowFirstToken,
  slowPrimary,
  slowTail,
  midStreamDrop,
  malformed,
  badRequest,
  recovery,
  tasks,
];

/** The scenarios with these names, in the drill's order; unknown names are returned separately. */
export function selectScenarios(names: readonly string[]): { scenarios: Scenario[]; unknown: string[] } {
  if (names.length === 0) return { scenarios: [...SCENARIOS], unknown: [] };
  const wanted = new Set(names);
  const known = new Set(SCENARIOS.map((scenario) => scenario.name));
  return {
    scenarios: SCENARIOS.filter((scenario) => wanted.has(scenario.name)),
    unknown: [...wanted].filter((name) => !known.has(name)),
  };
}

/**
 * What a drill runs for this config: a full drill leaves out a scenario the config gives nothing
 * to do (no drill.tasks), while one asked for by name runs anyway and says why it was skipped.
 */
export function planScenarios(scenarios: readonly Scenario[], config: UnderstudyConfig, byName: boolean): Scenario[] {
  if (byName) return [...scenarios];
  return scenarios.filter((scenario) => scenario.appliesTo?.(config) ?? true);
}
