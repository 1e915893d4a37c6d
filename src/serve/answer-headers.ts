import type { Attempt } from '../engine/types.js';

/**
 * The headers on every completion answer: who answered, how many calls it took, and whether
 * another provider was tried first (`failover`). A retry of the same provider is not a failover.
 */
export function answerHeaders(provider: string | undefined, attempts: readonly Attempt[]): Record<string, string> {
  // The common case, one call answered at once, without the Set and spreads below.
  if (provider !== undefined && attempts.length === 1 && attempts[0]!.provider === provider && attempts[0]!.outcome !== 'skipped') {
    return { 'x-understudy-provider': provider, 'x-understudy-attempts': '1', 'x-understudy-failover': 'false' };
  }
  let calls = 0;
  const providers = new Set<string>();
  for (const attempt of attempts) {
    if (attempt.outcome !== 'skipped') calls++;
    providers.add(attempt.provider);
  }
  const failover = provider === undefined ? providers.size > 1 : [...providers].some((name) => name !== provider);
  return {
    ...(provider === undefined ? {} : { 'x-understudy-provider': provider }),
    'x-understudy-attempts': String(calls),
    'x-understudy-failover': String(failover),
  };
}
