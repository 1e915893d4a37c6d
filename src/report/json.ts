import { maskSecrets } from '../config/secrets.js';

/**
 * Renders a value as the single JSON document of `--json` (2-space indent, trailing newline),
 * with secrets masked.
 */
export function toJson(value: unknown): string {
  // Mask each string before escaping too: a secret holding `"` or `\` would no longer match
  // once JSON.stringify had escaped it.
  const text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? maskSecrets(item) : item), 2);
  return `${maskSecrets(text ?? 'null')}\n`;
}

/** Prints `value` as one JSON document on stdout — the only thing a `--json` run writes there. */
export function printJson(value: unknown, stream: NodeJS.WritableStream = process.stdout): void {
  stream.write(toJson(value));
}
