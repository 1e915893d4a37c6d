import type { Attempt } from '../engine/types.js';

/**
 * The headers on every completion answer: who answered, how many calls it took, and whether
 * another provider was tried first (`failover`, also when it was only skipped, its breaker open).
 * A retry of the same provider is not a failover. One pass over the attempts and no set: this
 * runs on every answer, and a skipped primary must cost the gateway nothing measurable.
 */
export function answerHeaders(provider: string | undefined, attempts: readonly Attempt[]): Record<string, string> {
  // Without an answering provider (an error answer), any second provider is a failover.
  const answering = provider ?? attempts[0]?.provider;
  let calls = 0;
  let failover = false;
  let hedged = false;
  for (const attempt of attempts) {
    if (attempt.outcome !== 'skipped') calls++;
    if (attempt.provider !== answering) failover = true;
    if (attempt.hedge) hedged = true;
  }
  const made = String(calls);
  const failedOver = failover ? 'true' : 'false';
  if (provider === undefined) return { 'x-understudy-attempts': made, 'x-understudy-failover': failedOver };
  const headers: Record<string, string> = { 'x-understudy-provider': provider, 'x-understudy-attempts': made, 'x-understudy-failover': failedOver };
  // Which call of a hedged request answered: the answering attempt is always the last one.
  if (hedged) headers['x-understudy-hedged'] = attempts[attempts.length - 1]?.hedge ? 'hedge' : 'original';
  return headers;
}
