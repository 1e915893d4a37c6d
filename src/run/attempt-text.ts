import { failuresByProvider as failuresOf } from '../engine/errors.js';
import type { Attempt } from '../engine/types.js';
import { describeError } from '../report/view-model.js';

/** What went wrong with each provider for one request: `primary: 503 server error ×3`. */
export function failuresByProvider(attempts: readonly Attempt[]): string[] {
  return failuresOf(attempts, describeError);
}

/**
 * The one stderr line after an answer: `answered by backup (backup-model) in 1.2 s after
 * primary: 503 server error ×3, breaker opened`.
 */
export function answeredLine(provider: string, model: string | undefined, ms: string, attempts: readonly Attempt[], opened: ReadonlySet<string>): string {
  const failures = failuresByProvider(attempts).map((text) => {
    const name = text.slice(0, text.indexOf(':'));
    return opened.has(name) ? `${text}, breaker opened` : text;
  });
  const who = `answered by ${provider}${model ? ` (${model})` : ''} in ${ms}`;
  return failures.length > 0 ? `${who} after ${failures.join('; ')}` : who;
}
