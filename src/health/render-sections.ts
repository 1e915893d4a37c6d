import type { ConfigWarning } from '../config/warnings.js';
import type { CheckGroup } from '../report/check-result.js';
import { markdownTable, type Annotation } from '../report/github.js';
import { paint } from '../report/style.js';
import { renderTable } from '../report/table.js';
import type { PingReport } from './types.js';

/**
 * The two sections of a ping report that are not providers — alert sinks and config warnings —
 * in every format. `render.ts` places them after the providers. A section with nothing in it is
 * left out, except the config under `--strict`, where "no warnings" is the news.
 */

/** The JUnit classnames (and table headings) of the two sections. */
export const SINKS_GROUP = 'alert sinks';
export const CONFIG_GROUP = 'config';

/** The alert-sink table and a blank line after it; none without sinks. */
export function sinkLines(report: PingReport): string[] {
  if (report.alerts.length === 0) return [];
  const rows = report.alerts.map((sink) => [sink.sink, sink.ok ? paint('green', '✓ ok') : paint('red', '✗ fail'), sink.detail]);
  return [renderTable(['ALERT SINK', 'RESULT', 'DETAIL'], rows), ''];
}

/** The config-warning table and a blank line after it; none when there are no warnings. */
export function configLines(report: PingReport): string[] {
  if (report.warnings.length === 0) return [];
  const cell = report.strict ? paint('red', '✗ fail') : paint('yellow', '! warn');
  const rows = report.warnings.map((warning) => [where(warning), cell, warning.message]);
  // Say what the warnings cost, so nobody reads a yellow line as a failed ping or misses --strict.
  const note = report.strict ? 'config warnings fail the ping (--strict)' : 'config warnings do not fail the ping; --strict makes them failures';
  return [renderTable(['CONFIG', 'RESULT', 'WARNING'], rows), paint('dim', note), ''];
}

/** The verdict's words for the sinks and, under `--strict`, the config; [] when neither applies. */
export function verdictParts(report: PingReport): string[] {
  const parts: string[] = [];
  const sinks = report.alerts.length;
  if (sinks > 0) {
    const reachable = report.alerts.filter((sink) => sink.ok).length;
    parts.push(`${reachable} of ${sinks} alert sink${sinks === 1 ? '' : 's'} reachable`);
  }
  if (report.strict) {
    const count = report.warnings.length;
    parts.push(`${count === 0 ? 'no' : count} config warning${count === 1 ? '' : 's'} (--strict)`);
  }
  return parts;
}

/** The `--json` fields: exactly what the issues promised, nothing more. */
export function sectionsJson(report: PingReport): { alerts: object[]; warnings: object[] } {
  return {
    alerts: report.alerts.map(({ sink, ok, detail }) => ({ sink, ok, detail })),
    warnings: report.warnings.map(({ code, path, message }) => ({ code, path, message })),
  };
}

/** One JUnit group per section: a testcase per sink, and one per warning (a failure only under `--strict`). */
export function sectionGroups(report: PingReport): CheckGroup[] {
  const groups: CheckGroup[] = [];
  if (report.alerts.length > 0) {
    const failed = report.alerts.filter((sink) => !sink.ok).length;
    const group: CheckGroup = {
      name: SINKS_GROUP,
      ok: failed === 0,
      // Checked in parallel: the section took as long as its slowest sink.
      ms: Math.max(...report.alerts.map((sink) => sink.ms)),
      checks: report.alerts.map((sink) => ({ name: sink.sink, ok: sink.ok, ms: sink.ms, detail: sink.detail })),
    };
    if (failed > 0) group.failure = { message: `${failed} alert sink${failed === 1 ? '' : 's'} unreachable`, type: 'alert-sink' };
    groups.push(group);
  }
  if (report.strict || report.warnings.length > 0) {
    const failing = report.strict && report.warnings.length > 0;
    const group: CheckGroup = {
      name: CONFIG_GROUP,
      ok: !failing,
      // Under --strict with no warnings the group has no checks and becomes one passing testcase.
      checks: report.warnings.map((warning) => ({
        name: warning.path ? `${warning.code} (${warning.path})` : warning.code,
        ok: !report.strict,
        ...(report.strict ? {} : { warning: true }),
        detail: describe(warning),
      })),
    };
    if (failing) group.failure = { message: `${report.warnings.length} config warnings (--strict)`, type: 'config-warning' };
    groups.push(group);
  }
  return groups;
}

/** `::error` annotations: one per unreachable sink, and one per warning under `--strict`. */
export function sectionAnnotations(report: PingReport): Annotation[] {
  const sinks = report.alerts
    .filter((sink) => !sink.ok)
    .map((sink) => ({ title: `understudy ping: alert sink ${sink.sink} failed`, message: sink.detail }));
  const warnings = report.strict
    ? report.warnings.map((warning) => ({ title: `understudy ping: config ${warning.code} (--strict)`, message: describe(warning) }))
    : [];
  return [...sinks, ...warnings];
}

/** Markdown tables for the step summary, each under a bold heading; '' when both are empty. */
export function sectionsMarkdown(report: PingReport): string {
  let markdown = '';
  if (report.alerts.length > 0) {
    const rows = report.alerts.map((sink) => [sink.sink, sink.ok ? '✅ ok' : '❌ failed', sink.detail]);
    markdown += `\n**Alert sinks**\n\n${markdownTable(['Sink', 'Result', 'Detail'], rows)}`;
  }
  if (report.warnings.length > 0) {
    const result = report.strict ? '❌ failed (--strict)' : '⚠️ warning';
    const rows = report.warnings.map((warning) => [where(warning), result, warning.message]);
    markdown += `\n**Config warnings**\n\n${markdownTable(['Setting', 'Result', 'Warning'], rows)}`;
  }
  return markdown;
}

/** The field a warning is about; the whole config has no path. */
function where(warning: ConfigWarning): string {
  return warning.path || '(whole config)';
}

/** `providers[1].baseURL: a and b are the same host …`, as the warning is printed at load. */
function describe(warning: ConfigWarning): string {
  return warning.path ? `${warning.path}: ${warning.message}` : warning.message;
}
