/**
 * The common shape of a checked thing. `ping` (a provider and its checks) and `drill` (a scenario
 * and its steps) both produce `CheckGroup`s, so every output format — table, JSON, JUnit,
 * GitHub annotations — is written once, over this shape, and never per command.
 */

/** One check inside a group: "key accepted", "fails over within 2 s", ... */
export interface CheckOutcome {
  name: string;
  ok: boolean;
  ms?: number;
  detail?: string;
  /** Warnings don't fail: a check with `warning` set is reported but never counts as a failure. */
  warning?: boolean;
  /** The check did not run (an earlier check it depends on failed, or it does not apply). */
  skipped?: boolean;
  /** How a passing check was made, when a reader would assume otherwise (JUnit's system-out). */
  note?: string;
}

/** A provider (ping) or a scenario (drill) with its checks. */
export interface CheckGroup {
  /** A provider or a scenario. */
  name: string;
  ok: boolean;
  ms?: number;
  checks: CheckOutcome[];
  /** Why the group failed, when it did: `type` is e.g. the failure class, `hint` the next step to try. */
  failure?: { message: string; type: string; hint?: string };
}

/** Counts over a list of groups, for a summary line and the exit code. */
export interface CheckSummary {
  groups: number;
  failedGroups: number;
  checks: number;
  failedChecks: number;
  warnings: number;
  skipped: number;
}

/** A check that fails the run: not ok, and neither a warning nor skipped. */
export function isFailedCheck(check: CheckOutcome): boolean {
  return !check.ok && !check.warning && !check.skipped;
}

/** Counts groups and checks by outcome. */
export function summarizeGroups(groups: readonly CheckGroup[]): CheckSummary {
  const checks = groups.flatMap((group) => group.checks);
  return {
    groups: groups.length,
    failedGroups: groups.filter((group) => !group.ok).length,
    checks: checks.length,
    failedChecks: checks.filter(isFailedCheck).length,
    warnings: checks.filter((check) => check.warning === true && !check.skipped).length,
    skipped: checks.filter((check) => check.skipped === true).length,
  };
}

/** True when no group failed: the exit code is 0 for this list and 1 otherwise. */
export function allOk(groups: readonly CheckGroup[]): boolean {
  return groups.every((group) => group.ok);
}
