import type { Attempt } from '../engine/types.js';
import { describeError } from '../report/view-model.js';

/**
 * What went wrong with each provider for one request, one entry per provider in the order they
 * were tried: `primary: 503 server error ×3`, `backup: skipped (breaker open)`.
 */
export function failuresByProvider(attempts: readonly Attempt[]): string[] {
  const byProvider = new Map<string, string[]>();
  for (const attempt of attempts) {
    if (attempt.outcome === 'success') continue;
    const what = attempt.outcome === 'skipped' ? `skipped (${attempt.reason ?? 'breaker open'})` : attempt.error ? describeError(attempt.error) : 'failed';
    byProvider.set(attempt.provider, [...(byProvider.get(attempt.provider) ?? []), what]);
  }
  return [...byProvider].map(([provider, whats]) => `${provider}: ${foldRepeats(whats)}`);
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
