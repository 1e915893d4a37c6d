import type { SourcePosition } from './source-excerpt.js';

/**
 * Where a YAML syntax error really is. js-yaml (cosmiconfig's parser, which reads the config)
 * reports where it gave up: for an unclosed `[x` on line 4 that is line 5, column 3, with
 * "missed comma between flow collection entries". The `yaml` package's CST still holds the
 * unclosed `[`, `{` or quote where it opened, so that is what the user is shown instead.
 * Its own messages are kept out: for a bad indent js-yaml's is the clearer one.
 */

/** What went wrong and where, for people. */
export interface YamlProblem {
  readonly reason: string;
  readonly at?: SourcePosition;
}

/** The shape of a js-yaml YAMLException (cosmiconfig throws it as it is). */
interface JsYamlError {
  readonly reason?: string;
  readonly mark?: { readonly line: number; readonly column: number; readonly position: number };
}

/** Explains js-yaml's `error` for `content`; loads `yaml` only now, on the error path. */
export async function describeYamlError(content: string, error: unknown): Promise<YamlProblem> {
  const { reason, mark } = error as JsYamlError;
  const unclosed = await lastUnclosed(content, mark?.position ?? content.length);
  if (unclosed) return { reason: unclosed.reason, at: unclosed.at };
  return { reason: reason ?? 'invalid YAML', ...(mark ? { at: { line: mark.line + 1, column: mark.column + 1 } } : {}) };
}

interface Unclosed {
  readonly offset: number;
  readonly at: SourcePosition;
  readonly reason: string;
}

/**
 * The last `[`, `{` or quoted string opened at or before `failedAt` that never closes. The last
 * one, since an unclosed quote or inner `[` leaves everything around it unclosed too; and only
 * an opening before the point of failure can be its cause.
 */
async function lastUnclosed(content: string, failedAt: number): Promise<Unclosed | undefined> {
  const { LineCounter, Parser } = await import('yaml');
  const lines = new LineCounter();
  const found: { offset: number; reason: string }[] = [];
  for (const token of new Parser(lines.addNewLine).parse(content)) visit(token, found);
  const last = found.filter((item) => item.offset <= failedAt).sort((a, b) => b.offset - a.offset)[0];
  if (!last) return undefined;
  const { line, col } = lines.linePos(last.offset);
  return { ...last, at: { line, column: col } };
}

/** Walks a CST token and everything under it, collecting what opened and never closed. */
function visit(token: unknown, found: { offset: number; reason: string }[]): void {
  if (Array.isArray(token)) {
    for (const item of token) visit(item, found);
    return;
  }
  if (token === null || typeof token !== 'object') return;
  const node = token as { type?: string; offset?: number; source?: string; start?: { offset: number; source: string }; end?: { type: string }[] };
  if (node.type === 'flow-collection' && node.start && !node.end?.some((end) => end.type === 'flow-seq-end' || end.type === 'flow-map-end')) {
    const list = node.start.source === '[';
    found.push({ offset: node.start.offset, reason: list ? 'a list opened with [ is never closed with ]' : 'a mapping opened with { is never closed with }' });
  }
  if ((node.type === 'double-quoted-scalar' || node.type === 'single-quoted-scalar') && node.source !== undefined && node.offset !== undefined && !closesQuote(node.source)) {
    found.push({ offset: node.offset, reason: `a string opened with ${node.source[0]} is never closed with ${node.source[0]}` });
  }
  for (const key of ['items', 'key', 'sep', 'value'] as const) {
    if (key in node) visit((node as Record<string, unknown>)[key], found);
  }
}

/** Whether a quoted scalar's source ends with its closing quote (an escaped `\"` does not count). */
function closesQuote(source: string): boolean {
  const quote = source[0];
  if (source.length < 2 || !source.endsWith(quote ?? '')) return false;
  if (quote === "'") return true;
  const backslashes = /\\*$/.exec(source.slice(0, -1))?.[0].length ?? 0;
  return backslashes % 2 === 0;
}
