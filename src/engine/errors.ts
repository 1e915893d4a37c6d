import type { Attempt, AttemptError } from './types.js';

/**
 * Every provider failed or was skipped for one request. Carries every attempt, so the caller
 * can degrade with full knowledge (queue the request, alert, report).
 */
export class AllProvidersFailed extends Error {
  override readonly name = 'AllProvidersFailed';
  constructor(readonly attempts: readonly Attempt[]) {
    super(`every provider failed: ${summarizeAttempts(attempts)}`);
  }
}

/**
 * The request itself was rejected (400, 413, 422) or the caller aborted: trying another
 * provider would fail the same way, so it surfaces at once.
 */
export class RequestFailed extends Error {
  override readonly name = 'RequestFailed';
  constructor(
    readonly provider: string,
    readonly error: AttemptError,
    readonly attempts: readonly Attempt[],
    options?: { cause?: unknown },
  ) {
    super(`${provider}: ${error.status ? `${error.status} ` : ''}${error.message}`, options);
  }

  get status(): number | undefined {
    return this.error.status;
  }
}

/** `primary: 503 ×3; backup: connection` — repeated failures of one provider folded. */
export function summarizeAttempts(attempts: readonly Attempt[]): string {
  return failuresByProvider(attempts, (error) => String(error.status ?? error.kind)).join('; ');
}

/**
 * What went wrong with each provider for one request, one entry per provider in the order they
 * were tried, repeats folded: `primary: 503 ×3`, `backup: skipped (breaker open)`. `describe`
 * words a failure (the engine's short form, or a report's `503 server error`).
 */
export function failuresByProvider(attempts: readonly Attempt[], describe: (error: AttemptError) => string): string[] {
  const byProvider = new Map<string, string[]>();
  for (const attempt of attempts) {
    if (attempt.outcome === 'success') continue;
    const what = attempt.outcome === 'skipped' ? `skipped (${attempt.reason ?? 'breaker open'})` : attempt.error ? describe(attempt.error) : 'failed';
    byProvider.set(attempt.provider, [...(byProvider.get(attempt.provider) ?? []), what]);
  }
  return [...byProvider].map(([provider, whats]) => `${provider}: ${foldRepeats(whats)}`);
}

function foldRepeats(items: readonly string[]): string {
  const folded: string[] = [];
  for (let index = 0; index < items.length; ) {
    let run = 1;
    while (items[index + run] === items[index]) run++;
    folded.push(run > 1 ? `${items[index]} ×${run}` : items[index]!);
    index += run;
  }
  return folded.join(', ');
}
