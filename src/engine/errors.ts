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

/** `primary: 503 ×3; backup: connection refused` — repeated failures of one provider folded. */
export function summarizeAttempts(attempts: readonly Attempt[]): string {
  const byProvider = new Map<string, string[]>();
  for (const attempt of attempts) {
    if (attempt.outcome === 'success') continue;
    const what =
      attempt.outcome === 'skipped'
        ? `skipped (${attempt.reason ?? 'breaker open'})`
        : String(attempt.error?.status ?? attempt.error?.kind ?? 'error');
    const list = byProvider.get(attempt.provider) ?? [];
    list.push(what);
    byProvider.set(attempt.provider, list);
  }
  return [...byProvider]
    .map(([provider, whats]) => `${provider}: ${foldRepeats(whats)}`)
    .join('; ');
}

function foldRepeats(items: readonly string[]): string {
  const folded: string[] = [];
  let index = 0;
  while (index < items.length) {
    let run = 1;
    while (items[index + run] === items[index]) run++;
    folded.push(run > 1 ? `${items[index]} ×${run}` : items[index]!);
    index += run;
  }
  return folded.join(', ');
}
