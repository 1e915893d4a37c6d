import { isSecretFieldName } from './secret-fields.js';

/**
 * The lines of a config file around a syntax error, with a caret under the column, as parsers'
 * pretty errors show them, but safe to print: a file that does not parse has registered no
 * secrets yet, and may hold a key written in by hand. So the value of every secret-named field
 * (`apiKey: ***`), any userinfo password in a URL and any key-shaped token are replaced by `***`,
 * and the caret moves with the text.
 */

/** 1-based, as people count. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** `contextLines` lines before the position's line, that line, and a caret line, each indented. */
export function sourceExcerpt(text: string, at: SourcePosition, contextLines = 1): string {
  const lines = text.split(/\r?\n/);
  const last = Math.min(Math.max(1, at.line), lines.length);
  const first = Math.max(1, last - contextLines);
  const gutter = String(last).length;
  const out: string[] = [];
  for (let number = first; number <= last; number++) {
    const redacted = redactLine(lines[number - 1] ?? '');
    out.push(`  ${String(number).padStart(gutter)} | ${redacted.text}`.trimEnd());
    if (number === last) out.push(`  ${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, redacted.column(at.column) - 1))}^`);
  }
  return out.join('\n');
}

const MASK = '***';
/** `key: value`, in block or flow style; the value ends at a flow separator or a comment. */
const KEY_VALUE = /(["']?)([\w.-]+)\1[ \t]*:[ \t]+([^\s,{}[\]#][^,{}[\]#]*?)(?=[ \t]*(?:[,{}[\]]|[ \t]#|$))/g;
/** Header names whose values carry credentials. */
const SECRET_HEADER = /^(?:authorization|proxy-authorization|cookie|x-api-key|api-key)$/i;
/** The password of `scheme://user:password@host`. */
const URL_PASSWORD = /(?<=:\/\/[^\s:@/]*:)[^\s@/]+(?=@)/g;
/** 20 or more key characters with both a letter and a digit: how API keys and tokens look. */
const KEY_SHAPED = /[A-Za-z0-9_-]{20,}/g;

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The line with its secrets masked, and where a 1-based column of the original lands in it. */
function redactLine(line: string): { text: string; column: (original: number) => number } {
  const spans = mergeSpans([...secretValues(line), ...spansOf(line, URL_PASSWORD), ...spansOf(line, KEY_SHAPED).filter(looksLikeKey)]);
  let text = '';
  let from = 0;
  for (const span of spans) {
    text += line.slice(from, span.start) + MASK;
    from = span.end;
  }
  text += line.slice(from);
  const column = (original: number): number => {
    let shift = 0;
    for (const span of spans) {
      // A caret inside a masked value points at the mask's start.
      if (original - 1 >= span.end) shift += MASK.length - (span.end - span.start);
      else if (original - 1 >= span.start) return span.start + 1 + shift;
    }
    return original + shift;
  };
  return { text, column };
}

function secretValues(line: string): Span[] {
  const spans: Span[] = [];
  for (const match of line.matchAll(KEY_VALUE)) {
    const key = match[2] ?? '';
    const value = match[3] ?? '';
    if (!isSecretFieldName(key) && !SECRET_HEADER.test(key)) continue;
    const end = (match.index ?? 0) + match[0].length;
    spans.push({ start: end - value.length, end });
  }
  return spans;
}

function spansOf(line: string, pattern: RegExp): (Span & { readonly text: string })[] {
  return [...line.matchAll(pattern)].map((match) => ({ start: match.index ?? 0, end: (match.index ?? 0) + match[0].length, text: match[0] }));
}

function looksLikeKey(span: { readonly text: string }): boolean {
  return /\d/.test(span.text) && /[A-Za-z]/.test(span.text);
}

function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const previous = merged.at(-1);
    if (previous && span.start <= previous.end) merged[merged.length - 1] = { start: previous.start, end: Math.max(previous.end, span.end) };
    else merged.push(span);
  }
  return merged;
}
