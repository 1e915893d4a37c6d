import type { CompletionRequest } from '../engine/types.js';
import { OUTBOX_ONLY_FIELDS, type ItemId, type RunItem } from './types.js';

/** What reading one input line gives: a request to send, nothing (a blank line), or a problem. */
export type ParsedLine = { kind: 'item'; item: RunItem } | { kind: 'blank' } | { kind: 'bad'; problem: string };

/** How the batch turns a line into a request. */
export interface ParseOptions {
  /** `--system TEXT`: put before a `prompt` line's user message (a `messages` line is already whole). */
  readonly system?: string;
}

/**
 * Reads one JSONL input line: `{ "id", "prompt" }` or `{ "id", "messages": [...] }` plus any
 * request fields (temperature, max_tokens, response_format, tools...), passed on unchanged.
 * A line without an id gets `line-<n>`. The outbox's own fields are dropped, so an outbox
 * file is valid input.
 */
export function parseRequestLine(text: string, line: number, options: ParseOptions = {}): ParsedLine {
  if (text.trim() === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'bad', problem: `not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'bad', problem: 'not a JSON object: expected {"id": ..., "prompt": "..."} or {"id": ..., "messages": [...]}' };
  }
  const { id: rawId, prompt, messages, model, stream: _stream, stream_options: _options, ...fields } = value as Record<string, unknown>;
  for (const name of OUTBOX_ONLY_FIELDS) delete fields[name];

  const id = idOf(rawId, line);
  if (typeof id === 'object') return { kind: 'bad', problem: id.problem };
  if (model !== undefined) return { kind: 'bad', problem: 'has a "model" field: models belong to providers (set `model` on each provider in the config); remove it' };
  if (prompt !== undefined && messages !== undefined) return { kind: 'bad', problem: 'has both "prompt" and "messages": give one' };

  let chat: unknown[];
  if (messages !== undefined) {
    if (!Array.isArray(messages) || messages.length === 0) return { kind: 'bad', problem: '"messages" must be a non-empty array of chat messages' };
    if (!messages.every(isMessage)) return { kind: 'bad', problem: 'every entry of "messages" needs a "role" (a string)' };
    chat = messages;
  } else if (prompt !== undefined) {
    if (typeof prompt !== 'string' || prompt.trim() === '') return { kind: 'bad', problem: '"prompt" must be a non-empty string' };
    chat = [...(options.system ? [{ role: 'system', content: options.system }] : []), { role: 'user', content: prompt }];
  } else {
    return { kind: 'bad', problem: 'has no "prompt" or "messages"' };
  }
  // `stream` is dropped rather than refused: a batch answer is always taken whole.
  const request = { ...fields, messages: chat } as unknown as CompletionRequest;
  return { kind: 'item', item: { id, line, request } };
}

/** The key that makes `7` and `"7"` the same id, for resume and duplicate checks. */
export function idKey(id: ItemId): string {
  return String(id);
}

function idOf(raw: unknown, line: number): ItemId | { problem: string } {
  if (raw === undefined || raw === null) return `line-${line}`;
  if (typeof raw === 'string' && raw !== '') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  return { problem: '"id" must be a non-empty string or a number' };
}

function isMessage(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { role?: unknown }).role === 'string';
}
