import { maskSecrets } from '../config/secrets.js';

/**
 * The replacer of every JSON the CLI writes (documents, JSON lines, files): secrets masked in
 * each string, and timings (`ms` and `…Ms` fields) in whole milliseconds, since a timer's
 * sub-millisecond digits (`204.72612900000001`) are noise nobody reads.
 */
export function outputReplacer(key: string, item: unknown): unknown {
  // Each string is masked before JSON.stringify escapes it: a secret holding `"` or `\` would
  // no longer match once escaped. Callers mask the whole text again for secrets split across values.
  if (typeof item === 'string') return maskSecrets(item);
  if (typeof item === 'number' && isTiming(key)) return Math.round(item);
  return item;
}

/** `ms`, `wallMs`, `downForMs`, ...: a duration in milliseconds. */
function isTiming(key: string): boolean {
  return key === 'ms' || /[a-z]Ms$/.test(key);
}

/**
 * Renders a value as the single JSON document of `--json` (2-space indent, trailing newline),
 * with secrets masked and timings in whole milliseconds.
 */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value, outputReplacer, 2);
  return `${maskSecrets(text ?? 'null')}\n`;
}

/** Prints `value` as one JSON document on stdout — the only thing a `--json` run writes there. */
export function printJson(value: unknown, stream: NodeJS.WritableStream = process.stdout): void {
  stream.write(toJson(value));
}
