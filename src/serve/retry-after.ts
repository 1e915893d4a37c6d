import type { Clock } from '../engine/clock.js';
import type { Attempt, Engine } from '../engine/types.js';

/**
 * The `Retry-After` (whole seconds, at least 1) of a 503 after every provider failed: when the
 * soonest open breaker admits a trial; else the longest Retry-After a provider asked for; else 1.
 */
export function retryAfterSeconds(engine: Engine, clock: Clock, attempts: readonly Attempt[]): number {
  const now = clock.now();
  const reopenings = engine
    .state()
    .map((provider) => (provider.breaker === 'open' && provider.retryAt !== undefined ? provider.retryAt - now : undefined))
    .filter((ms): ms is number => ms !== undefined);
  const asked = attempts.map((attempt) => attempt.error?.retryAfterMs).filter((ms): ms is number => ms !== undefined);
  const ms = reopenings.length > 0 ? Math.min(...reopenings) : asked.length > 0 ? Math.max(...asked) : 1_000;
  return Math.max(1, Math.ceil(ms / 1000));
}
