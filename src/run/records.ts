import { AllProvidersFailed, RequestFailed, summarizeAttempts } from '../engine/errors.js';
import type { Attempt, CompletionResult } from '../engine/types.js';
import { describeError } from '../report/view-model.js';
import type { ItemId, OutboxEntry, OutboxReason, ResultLine, RunItem } from './types.js';

/** The output line for an answered request: who answered, the answer (every choice when several), every attempt, usage. */
export function resultLine(id: ItemId, result: CompletionResult): ResultLine {
  const choice = result.choices[0];
  const message = choice?.message;
  return {
    id,
    provider: result.provider,
    model: result.model,
    content: message?.content ?? null,
    finish_reason: choice?.finish_reason ?? null,
    ...(message?.tool_calls?.length ? { tool_calls: message.tool_calls } : {}),
    // The first choice is spelled out above for the common case; `n` > 1 must not lose the rest.
    ...(result.choices.length > 1 ? { choices: result.choices } : {}),
    attempts: result.attempts,
    usage: result.usage ?? null,
  };
}

/** True when the answer came after another provider failed or was skipped. */
export function wasFailedOver(provider: string, attempts: readonly Attempt[]): boolean {
  return attempts.some((attempt) => attempt.provider !== provider);
}

/** Why a request failed, in the outbox's terms, with a line for people. */
export interface FailureSummary {
  readonly reason: OutboxReason;
  readonly error: string;
  readonly attempts: readonly Attempt[];
}

/** Sorts a failure from `engine.complete` into exhausted / rejected / interrupted. */
export function summarizeFailure(thrown: unknown): FailureSummary {
  if (thrown instanceof AllProvidersFailed) {
    return { reason: 'exhausted', error: `every provider failed: ${summarizeAttempts(thrown.attempts)}`, attempts: thrown.attempts };
  }
  if (thrown instanceof RequestFailed) {
    if (thrown.error.kind === 'aborted') return { reason: 'interrupted', error: 'interrupted (aborted by a second Ctrl-C)', attempts: thrown.attempts };
    return {
      reason: 'rejected',
      error: `${thrown.provider} rejected the request: ${describeError(thrown.error)}: ${thrown.error.message}`,
      attempts: thrown.attempts,
    };
  }
  // Not a provider failure: a bug. It still goes to the outbox (nothing may vanish), saying so.
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { reason: 'exhausted', error: `internal error (a bug; please report it): ${message}`, attempts: [] };
}

/** The outbox entry for a failed request: the request as an input line, plus why. */
export function outboxEntry(item: RunItem, failure: FailureSummary, at: Date = new Date()): OutboxEntry {
  return {
    id: item.id,
    ...item.request,
    messages: item.request.messages,
    reason: failure.reason,
    error: failure.error,
    attempts: failure.attempts,
    failedAt: at.toISOString(),
  };
}
