import type { CheckGroup, CheckOutcome } from '../report/check-result.js';
import { githubAnnotations, markdownTable, type Annotation } from '../report/github.js';
import { renderJUnit } from '../report/junit.js';
import { paint } from '../report/style.js';
import { renderTable } from '../report/table.js';
import { formatMs } from '../report/view-model.js';
import { configLines, sectionAnnotations, sectionGroups, sectionsJson, sectionsMarkdown, sinkLines, verdictParts } from './render-sections.js';
import type { CheckResult, PingReport, ProviderReport } from './types.js';

/**
 * Every way a ping report is shown: the terminal table, the `--json` document, JUnit XML and
 * GitHub annotations plus a step summary. All read the same PingReport; the shared report
 * modules do the escaping and the masking.
 */

/** The JUnit testsuite's name. */
export const SUITE_NAME = 'understudy ping';

/** How a check column is headed; `model` would clash with the configured-model column. */
const CHECK_HEADINGS: Record<string, string> = { model: 'LISTED' };

/**
 * The provider table, its check warnings, the alert sinks and config warnings (each only when
 * there are any) and a verdict line, for stdout. No trailing newline.
 */
export function renderPingTable(report: PingReport): string {
  const checkNames = checkColumns(report);
  const headers = ['PROVIDER', 'MODEL', ...checkNames.map((name) => CHECK_HEADINGS[name] ?? name.toUpperCase()), 'LATENCY', 'CLASS', 'STATUS', 'HINT'];
  const rows = report.providers.map((provider) => [
    paint('bold', provider.name),
    provider.model,
    ...checkNames.map((name) => checkCell(provider.checks.find((check) => check.name === name))),
    latencyCell(provider),
    provider.error?.class ?? '',
    provider.error?.status != null ? String(provider.error.status) : '',
    provider.error?.hint ?? '',
  ]);
  const latencyColumn = 2 + checkNames.length;
  const table = renderTable(headers, rows, { align: headers.map((_, i) => (i === latencyColumn ? 'right' : 'left')) });
  return [table, '', ...warningLines(report), ...sinkLines(report), ...configLines(report), verdictLine(report)].join('\n');
}

/** The `--json` document: what the issues promised, plus the healthy/required counts and `strict`. */
export function pingJson(report: PingReport): object {
  return {
    ok: report.ok,
    healthy: report.healthy,
    required: report.required,
    strict: report.strict,
    providers: report.providers.map((provider) => ({
      name: provider.name,
      model: provider.model,
      ok: provider.ok,
      latencyMs: provider.latencyMs,
      degraded: provider.degraded ?? null,
      checks: provider.checks.map((check) => ({
        name: check.name,
        ok: check.ok,
        ms: check.ms ?? null,
        detail: check.detail,
        ...(check.warning ? { warning: true } : {}),
        ...(check.skipped ? { skipped: true } : {}),
        ...(check.firstTokenMs !== undefined ? { firstTokenMs: check.firstTokenMs } : {}),
        ...(check.via ? { via: check.via } : {}),
      })),
      error: provider.error,
    })),
    ...sectionsJson(report),
  };
}

/**
 * One CheckGroup per provider, one CheckOutcome per check, then the alert sinks and the config
 * as a group each: the shape JUnit and GitHub output read.
 */
export function toCheckGroups(report: PingReport): CheckGroup[] {
  const providers = report.providers.map((provider) => {
    const group: CheckGroup = { name: provider.name, ok: provider.ok, ms: provider.totalMs, checks: provider.checks.map(toOutcome) };
    if (provider.error) group.failure = { message: provider.error.message, type: provider.error.class, hint: provider.error.hint };
    return group;
  });
  return [...providers, ...sectionGroups(report)];
}

/** JUnit XML: one testsuite, one testcase per provider-check, per alert sink and per config warning. */
export function pingJUnit(report: PingReport, timestamp?: Date): string {
  return renderJUnit(SUITE_NAME, toCheckGroups(report), timestamp ? { timestamp } : {});
}

/** `::error` lines: one per failing provider, unreachable sink and, under `--strict`, config warning ('' for none). */
export function pingAnnotations(report: PingReport): string {
  const errors: Annotation[] = report.providers.flatMap((provider) =>
    provider.error
      ? [{ title: `understudy ping: ${provider.name} failed`, message: `${provider.error.hint} [${describeClass(provider)}]` }]
      : [],
  );
  // One call for all, so past GitHub's ten-per-step limit the rest are folded, not dropped.
  return githubAnnotations([...errors, ...sectionAnnotations(report)]);
}

/** The Markdown appended to `$GITHUB_STEP_SUMMARY`: a heading with the verdict, the providers, then sinks and warnings. */
export function pingMarkdown(report: PingReport): string {
  const rows = report.providers.map((provider) => [
    provider.name,
    provider.model,
    provider.ok ? (provider.checks.some((check) => check.warning) ? '⚠️ ok, with a warning' : '✅ ok') : `❌ ${failedCheck(provider) ?? 'failed'} failed`,
    provider.latencyMs === null ? '—' : formatMs(provider.latencyMs),
    provider.error?.class ?? '',
    provider.error?.status != null ? String(provider.error.status) : '',
    provider.error?.hint ?? '',
  ]);
  const heading = `### ${SUITE_NAME}: ${verdictText(report)}\n\n`;
  return heading + markdownTable(['Provider', 'Model', 'Result', 'Latency', 'Class', 'Status', 'Hint'], rows) + sectionsMarkdown(report);
}

/** The check names in the order they ran, across every provider. */
function checkColumns(report: PingReport): string[] {
  const names: string[] = [];
  for (const provider of report.providers) for (const check of provider.checks) if (!names.includes(check.name)) names.push(check.name);
  return names;
}

/** A glyph and a word, so the cell reads without colour too. */
function checkCell(check: CheckResult | undefined): string {
  if (!check) return '';
  if (check.skipped) return paint('dim', '– skip');
  if (!check.ok) return paint('red', '✗ fail');
  if (check.warning) return paint('yellow', '! warn');
  return paint('green', check.firstTokenMs !== undefined ? `✓ ${formatMs(check.firstTokenMs)}` : '✓ ok');
}

/** `5.2 s`, or `5.2 s slow` in yellow past the provider's slowMs. */
function latencyCell(provider: ProviderReport): string {
  if (provider.latencyMs === null) return '—';
  return provider.degraded ? paint('yellow', `${formatMs(provider.latencyMs)} slow`) : formatMs(provider.latencyMs);
}

function warningLines(report: PingReport): string[] {
  const lines = report.providers.flatMap((provider) => [
    ...provider.checks.flatMap((check) => {
      if (check.warning) return [paint('yellow', `! ${provider.name} ${check.name}: ${check.detail}`)];
      // Not GET /models, as the AUTH column would suggest: say what did check the key.
      if (check.via === 'completion') return [paint('dim', `i ${provider.name} ${check.name}: ${check.detail}`)];
      return [];
    }),
    ...(provider.degraded
      ? [paint('yellow', `! ${provider.name} degraded: answered in ${formatMs(provider.degraded.latencyMs)}, over its slowMs of ${formatMs(provider.degraded.slowMs)}`)]
      : []),
  ]);
  return lines.length > 0 ? [...lines, ''] : [];
}

function verdictLine(report: PingReport): string {
  return paint(report.ok ? 'green' : 'red', `${report.ok ? '✓' : '✗'} ${verdictText(report)}`);
}

function verdictText(report: PingReport): string {
  const total = report.providers.length;
  const counted = `${report.healthy} of ${total} provider${total === 1 ? '' : 's'} healthy`;
  const needed = report.required === total ? '' : ` (${report.required} required)`;
  return `${[`${counted}${needed}`, ...verdictParts(report)].join(', ')} — ${report.ok ? 'ok' : 'failed'}`;
}

function toOutcome(check: CheckResult): CheckOutcome {
  const outcome: CheckOutcome = { name: check.name, ok: check.ok, detail: check.detail };
  if (check.ms !== undefined) outcome.ms = check.ms;
  if (check.warning) outcome.warning = true;
  if (check.skipped) outcome.skipped = true;
  if (check.via === 'completion') outcome.note = check.detail;
  return outcome;
}

function failedCheck(provider: ProviderReport): string | undefined {
  return provider.checks.find((check) => !check.ok && !check.skipped)?.name;
}

function describeClass(provider: ProviderReport): string {
  const error = provider.error;
  if (!error) return '';
  return error.status === null ? error.class : `${error.class}, ${error.status}`;
}
