import type { Observations } from './types.js';
import { eventsOf } from './checks.js';

/** The measurements every scenario reports, from its observations. */
export interface Measurements {
  failoverMs: number | null;
  recoveryMs: number | null;
  answeredBy: (string | null)[];
  requests: Record<string, number>;
  tokens: Record<string, number>;
}

/**
 * Time to failover (the first request's start to the first answer from a provider other than
 * the primary), time to recovery (fault removed to the primary's first answer again), who
 * answered each request, and calls and tokens per provider.
 */
export function measure(observations: Observations, providers: readonly string[]): Measurements {
  const { requests, primary } = observations;
  const firstStart = requests[0]?.startedAt;
  const firstFallbackAnswer = requests.find((record) => record.answeredBy !== undefined && record.answeredBy !== primary);
  const removedAt = observations.marks['faultRemoved'];
  const backOnPrimary =
    removedAt === undefined ? undefined : requests.find((record) => record.startedAt >= removedAt && record.answeredBy === primary);

  const calls = Object.fromEntries(providers.map((name) => [name, 0]));
  for (const event of eventsOf(observations.events, 'attempt')) calls[event.provider] = (calls[event.provider] ?? 0) + 1;
  const tokens = Object.fromEntries(providers.map((name) => [name, 0]));
  for (const record of requests) {
    if (record.answeredBy) tokens[record.answeredBy] = (tokens[record.answeredBy] ?? 0) + record.tokens;
  }
  return {
    failoverMs: firstStart !== undefined && firstFallbackAnswer ? Math.round(firstFallbackAnswer.endedAt - firstStart) : null,
    recoveryMs: removedAt !== undefined && backOnPrimary ? Math.round(backOnPrimary.endedAt - removedAt) : null,
    answeredBy: requests.map((record) => record.answeredBy ?? null),
    requests: calls,
    tokens,
  };
}
