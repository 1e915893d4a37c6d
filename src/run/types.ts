import type { Attempt, AttemptError, CompletionRequest } from '../engine/types.js';

/** An id as the user wrote it: a string or a number (lines without one get `line-<n>`). */
export type ItemId = string | number;

/** One request of a batch, read from one input line. */
export interface RunItem {
  readonly id: ItemId;
  /** 1-based line of the input it came from, for messages. */
  readonly line: number;
  /** What is sent to every provider: `messages` plus the line's other request fields, unchanged. */
  readonly request: CompletionRequest;
}

/** Why a request went to the outbox instead of the output. */
export type OutboxReason =
  /** Every provider failed or was skipped: retrying later is the fix. */
  | 'exhausted'
  /** A provider rejected the request itself (400, 413, 422): retrying as is fails again; fix it first. */
  | 'rejected'
  /** A second Ctrl-C aborted it while in flight. */
  | 'interrupted';

/** One line of `--output`: an answered request. */
export interface ResultLine {
  readonly id: ItemId;
  readonly provider: string;
  readonly model: string;
  readonly content: string | null;
  readonly finish_reason?: string | null;
  /** Only when the provider answered with tool calls (the request had `tools`). */
  readonly tool_calls?: unknown;
  /** Only when the provider gave several choices (the request had `n` > 1): every one, as it gave them. */
  readonly choices?: unknown;
  readonly attempts: readonly Attempt[];
  readonly usage: unknown;
}

/**
 * One line of the outbox. It is a valid input line (`id`, `messages`, the request fields), so
 * `understudy run --input OUTBOX` retries it directly; the other fields say why it is there.
 */
export interface OutboxEntry extends Record<string, unknown> {
  readonly id: ItemId;
  readonly messages: unknown;
  readonly reason: OutboxReason;
  /** One line for people: `primary: 503 ×3; backup: connection`. */
  readonly error: string;
  readonly attempts: readonly Attempt[];
  readonly failedAt: string;
}

/** One line of the rejects file: an input line that could not be sent at all. */
export interface RejectLine {
  readonly line: number;
  readonly problem: string;
  /** The line as it was read (cut when very long). */
  readonly text: string;
}

/** Fields an outbox entry adds to an input line; dropped when the line is read back as input. */
export const OUTBOX_ONLY_FIELDS = ['reason', 'error', 'attempts', 'failedAt'] as const;

export type { Attempt, AttemptError };
