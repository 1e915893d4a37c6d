import { maskSecrets } from '../config/secrets.js';
import { roundIsHealthy, type HealthUpdate } from './health-source.js';

/**
 * `watch --json`: one JSON object per line (an event or a round), so a consumer can read it as a
 * stream. Times are ISO-8601; secrets are masked in every string.
 */
export function jsonLine(update: HealthUpdate): string {
  return `${maskSecrets(JSON.stringify(toJsonEvent(update), (_key, item: unknown) => (typeof item === 'string' ? maskSecrets(item) : item)))}`;
}

/** The object behind a JSON line. */
export function toJsonEvent(update: HealthUpdate): Record<string, unknown> {
  if (update.type === 'event') {
    const { at, ...rest } = update.event;
    const retryAt = 'retryAt' in rest && rest.retryAt !== undefined ? { retryAt: new Date(rest.retryAt).toISOString() } : {};
    return { ...rest, time: new Date(at).toISOString(), ...retryAt };
  }
  const outcomes = new Map(update.outcomes.map((outcome) => [outcome.provider, outcome]));
  return {
    type: 'round',
    time: new Date(update.at).toISOString(),
    round: update.round,
    probe: update.kind,
    healthy: roundIsHealthy(update),
    traffic: update.traffic ?? null,
    providers: update.rows.map((row) => {
      const outcome = outcomes.get(row.name);
      return {
        name: row.name,
        model: row.model,
        breaker: row.breaker,
        outcome: outcome?.outcome ?? null,
        latencyMs: outcome && outcome.outcome !== 'skipped' ? Math.round(outcome.ms) : null,
        error: outcome?.error ?? null,
        consecutiveFailures: row.consecutiveFailures,
        retryInMs: row.retryInMs === undefined ? null : Math.round(row.retryInMs),
        successRate: row.successRatio ?? null,
        p50Ms: row.p50Ms === undefined ? null : Math.round(row.p50Ms),
        p95Ms: row.p95Ms === undefined ? null : Math.round(row.p95Ms),
        forced: row.forced,
      };
    }),
  };
}
