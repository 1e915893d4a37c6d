import { appendFileSync } from 'node:fs';
import { maskSecrets } from '../config/secrets.js';

/**
 * GitHub Actions output: `::error` workflow commands (shown as annotations on the run) and a
 * Markdown summary appended to the step summary file. Everything is masked before it is escaped,
 * since escaping would hide a secret holding `%`, `:` or `,` from the mask.
 */

/** One annotation: `title` is its heading, `message` its body (may span lines). */
export interface Annotation {
  title: string;
  message: string;
  /** `warning` for a problem that does not fail the step; `error` if unset. */
  level?: 'error' | 'warning';
}

/** GitHub keeps at most this many annotations of one kind per step and drops the rest. */
export const MAX_ANNOTATIONS = 10;

/** True when running as a GitHub Actions step. */
export function isGitHubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['GITHUB_ACTIONS'] === 'true';
}

/** Escapes a workflow command's message (the part after `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (`title=...`), where `:` and `,` are syntax too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `::error title=...::message` lines (`::warning` for warnings), one per annotation,
 * newline-terminated ('' for none). GitHub keeps `MAX_ANNOTATIONS` of each level per step: past
 * that, the first nine are kept and the rest folded into a tenth, "…and N more", whose message
 * lists them, so none is silently dropped.
 */
export function githubAnnotations(annotations: readonly Annotation[]): string {
  const errors = annotations.filter((annotation) => annotation.level !== 'warning');
  const warnings = annotations.filter((annotation) => annotation.level === 'warning');
  return [...foldPastLimit(errors), ...foldPastLimit(warnings)]
    .map(
      (annotation) =>
        `::${annotation.level ?? 'error'} title=${escapeProperty(maskSecrets(annotation.title))}::${escapeData(maskSecrets(annotation.message))}\n`,
    )
    .join('');
}

/** At most `MAX_ANNOTATIONS` of one level: the rest become one "…and N more". */
function foldPastLimit(annotations: readonly Annotation[]): readonly Annotation[] {
  if (annotations.length <= MAX_ANNOTATIONS) return annotations;
  const rest = annotations.slice(MAX_ANNOTATIONS - 1);
  return [
    ...annotations.slice(0, MAX_ANNOTATIONS - 1),
    {
      title: `…and ${rest.length} more`,
      message: rest.map((annotation) => `${annotation.title}: ${annotation.message}`).join('\n'),
      ...(rest[0]?.level ? { level: rest[0].level } : {}),
    },
  ];
}

/** Makes a cell safe inside a Markdown table: `|` would end the cell, a newline the row. */
function markdownCell(text: string): string {
  return maskSecrets(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A GitHub-flavoured Markdown table, newline-terminated, cells escaped and masked. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string =>
    `| ${Array.from({ length: headers.length }, (_, i) => markdownCell(cells[i] ?? '')).join(' | ')} |\n`;
  return line(headers) + line(headers.map(() => '---')) + rows.map(line).join('');
}

/**
 * Appends `markdown` (masked) to the file named by `$GITHUB_STEP_SUMMARY`, which GitHub shows on
 * the run's page. Returns false, writing nothing, when the variable is not set (not on Actions).
 */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (!file) return false;
  // Synchronous: commands end with process.exit, which would drop a pending async write.
  appendFileSync(file, maskSecrets(markdown.endsWith('\n') ? markdown : `${markdown}\n`), 'utf8');
  return true;
}

/**
 * Appends step outputs (masked) to the file named by `$GITHUB_OUTPUT`, so a later step reads
 * `steps.<id>.outputs.<name>`. A value with a line break uses the file's heredoc form, with a
 * delimiter the value cannot contain. Returns false, writing nothing, when not on Actions.
 */
export function appendStepOutputs(outputs: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env['GITHUB_OUTPUT'];
  if (!file) return false;
  const lines = Object.entries(outputs).map(([name, raw]) => {
    const value = maskSecrets(raw);
    if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
    let delimiter = 'UNDERSTUDY_EOF';
    while (value.includes(delimiter)) delimiter += '_';
    return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  });
  appendFileSync(file, lines.join(''), 'utf8');
  return true;
}
