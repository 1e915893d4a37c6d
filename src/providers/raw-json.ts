/**
 * The JSON text a provider sent for each value parsed from it (a stream's chunks), so a gateway
 * that passes the value on unchanged can send that text instead of serialising it again: on a
 * stream that is one JSON.stringify per chunk saved. Weakly held: nothing outlives its chunk.
 */
const texts = new WeakMap<object, string>();

/**
 * Parses `text` and remembers it as the JSON of the parsed value (an object or array). Only a
 * one-line text is remembered: an event's `data:` line cannot carry a line break, and a provider
 * that split its JSON over several `data:` lines gets it serialised again.
 */
export function parseRemembered<T>(text: string): T {
  const value = JSON.parse(text) as T;
  if (typeof value === 'object' && value !== null && !text.includes('\n')) texts.set(value, text);
  return value;
}

/** The JSON of `value`: the text it was parsed from when known, else serialised now. */
export function jsonOf(value: unknown): string {
  return (typeof value === 'object' && value !== null && texts.get(value)) || JSON.stringify(value);
}
