import * as junitReportBuilder from 'junit-report-builder';
import type { Builder } from 'junit-report-builder';
import { maskSecrets } from '../config/secrets.js';
import { isFailedCheck, type CheckGroup, type CheckOutcome } from './check-result.js';
import { writeFileMasked } from './output.js';

/** Options for `renderJUnit`. */
export interface JUnitOptions {
  /** When the run started (the testsuite's `timestamp`). */
  timestamp?: Date;
  /** Extra `<property>`s on the testsuite, e.g. the config file used. */
  properties?: Record<string, string>;
}

// The package is CommonJS (`module.exports = builder`) but its types declare `export default`, and
// loaders disagree on how many `default`s wrap it: take the first object that is a builder.
const rootBuilder = unwrapBuilder(junitReportBuilder);

function unwrapBuilder(module: unknown): Builder {
  let candidate = module;
  for (let depth = 0; depth < 3 && candidate; depth++) {
    if (typeof (candidate as Partial<Builder>).newBuilder === 'function') return candidate as Builder;
    candidate = (candidate as { default?: unknown }).default;
  }
  throw new Error('junit-report-builder: no builder found in the module');
}

/**
 * A JUnit XML report: one `<testsuite>`, one `<testcase>` per check (classname = the group,
 * name = the check, time in seconds), `<failure message type>` for a failed check and `<skipped/>`
 * for a skipped one. A group with no checks becomes one testcase of its own, and a failed group
 * none of whose checks failed gets an extra testcase carrying the group's failure, so a failure
 * is never lost. Names are made unique per classname; the package XML-escapes; every string is
 * masked before escaping (an escaped secret would not match the mask) and the whole text after.
 */
export function renderJUnit(suiteName: string, groups: readonly CheckGroup[], options: JUnitOptions = {}): string {
  // A fresh builder per call: the package's default export is a singleton that accumulates.
  const report = rootBuilder.newBuilder();
  const suite = report.testSuite().name(maskSecrets(suiteName));
  if (options.timestamp) suite.timestamp(options.timestamp);
  for (const [name, value] of Object.entries(options.properties ?? {})) suite.property(maskSecrets(name), maskSecrets(value));
  const totalMs = groups.reduce((sum, group) => sum + (group.ms ?? 0), 0);
  if (groups.some((group) => group.ms !== undefined)) suite.time(seconds(totalMs));

  const names = new UniqueNames();
  for (const group of groups) {
    for (const check of casesOf(group)) {
      const testCase = suite.testCase().className(maskSecrets(group.name)).name(maskSecrets(names.claim(group.name, check.name)));
      if (check.ms !== undefined) testCase.time(seconds(check.ms));
      if (check.skipped) testCase.skipped();
      else if (isFailedCheck(check)) {
        const { message, type } = failureOf(group, check);
        testCase.failure(maskSecrets(message), maskSecrets(type));
      } else if (check.warning && check.detail) testCase.standardOutput(maskSecrets(`warning: ${check.detail}`));
      else if (check.note) testCase.standardOutput(maskSecrets(check.note));
    }
  }
  return maskSecrets(report.build());
}

/** Writes `renderJUnit(...)` to `file`, creating its parent directories. */
export function writeJUnit(file: string, suiteName: string, groups: readonly CheckGroup[], options?: JUnitOptions): void {
  writeFileMasked(file, `${renderJUnit(suiteName, groups, options)}\n`);
}

/** The testcases a group becomes: its checks, plus one for a failure its checks do not show. */
function casesOf(group: CheckGroup): CheckOutcome[] {
  if (group.checks.length > 0 && (group.ok || group.checks.some(isFailedCheck))) return group.checks;
  const own: CheckOutcome = { name: group.checks.length > 0 ? 'result' : group.name, ok: group.ok };
  if (group.ms !== undefined) own.ms = group.ms;
  return [...group.checks, own];
}

/** The message and type of a failed check: its own detail, else the group's failure. */
function failureOf(group: CheckGroup, check: CheckOutcome): { message: string; type: string } {
  const base = check.detail ?? group.failure?.message ?? `${check.name} failed`;
  const hint = group.failure?.hint;
  // A hint is the "try this" next step; CI viewers show only the message, so it goes there.
  return { message: hint && !base.includes(hint) ? `${base} — ${hint}` : base, type: group.failure?.type ?? 'failure' };
}

/** Suffixes repeated testcase names (`name (2)`), since JUnit viewers merge or drop duplicates. */
class UniqueNames {
  private readonly taken = new Set<string>();

  /** A name not yet used in this classname, derived from `name`. */
  claim(className: string, name: string): string {
    let candidate = name;
    for (let n = 2; this.taken.has(key(className, candidate)); n++) candidate = `${name} (${n})`;
    this.taken.add(key(className, candidate));
    return candidate;
  }
}

function key(className: string, name: string): string {
  return `${className}\u0000${name}`;
}

/** JUnit times are seconds; milliseconds precision is all anyone reads. */
function seconds(ms: number): number {
  return Math.round(Math.max(0, ms)) / 1000;
}
