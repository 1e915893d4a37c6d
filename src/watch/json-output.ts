import { maskSecrets } from '../config/secrets.js';
import { outputReplacer } from '../report/json.js';
import { roundIsHealthy, syncIsHealthy, type ChangedUpdate, type HealthUpdate, type SyncUpdate } from './health-source.js';
import type { WatchRow } from './rows.js';

/**
 * `watch --json`: one JSON object per line (an event or a round), so a consumer can read it as a
 * stream. Times are ISO-8601, durations whole ms; secrets are masked in every string.
 */
export function jsonLine(update: PrintableUpdate): string {
  return `${maskSecrets(JSON.stringify(toJsonEvent(update), outputReplacer))}`;
}

/** An update with something to print (a `changed` one only redraws the board). */
export type PrintableUpdate = Exclude<HealthUpdate, ChangedUpdate>;

/** The object behind a JSON line. */
export function toJsonEvent(update: PrintableUpdate): Record<string, unknown> {
  if (update.type === 'sync') return syncJson(update);
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
        degraded: row.degradedFigure ?? null,
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

/** An attached source's sync: breakers (and, from a gateway, its traffic's figures); a fleet adds its instances. */
function syncJson(sync: SyncUpdate): Record<string, unknown> {
  return {
    type: 'sync',
    time: new Date(sync.at).toISOString(),
    from: sync.from,
    sync: sync.sync,
    healthy: syncIsHealthy(sync),
    traffic: sync.traffic ?? null,
    providers: sync.rows.map((row) => ({
      name: row.name,
      model: row.model,
      breaker: row.breaker,
      degraded: row.degradedFigure ?? null,
      retryInMs: row.retryInMs === undefined ? null : Math.round(row.retryInMs),
      ...figures(row),
    })),
    ...(sync.instances
      ? {
          instances: sync.instances.map((instance) => ({
            id: instance.id,
            host: instance.host,
            pid: instance.pid,
            startedAt: new Date(instance.startedAt).toISOString(),
            seenAt: new Date(instance.seenAt).toISOString(),
          })),
        }
      : {}),
  };
}

/** Request figures, null where the source has none (a fleet's keys carry breakers only). */
function figures(row: WatchRow): Record<string, number | null> {
  const known = (value: number | undefined) => (row.noFigures || value === undefined ? null : Math.round(value));
  return {
    consecutiveFailures: row.noFigures ? null : row.consecutiveFailures,
    successRate: row.noFigures ? null : (row.successRatio ?? null),
    lastLatencyMs: known(row.lastLatencyMs),
    p50Ms: known(row.p50Ms),
    p95Ms: known(row.p95Ms),
  };
}
