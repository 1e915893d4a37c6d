import type { AlertKind } from '../config/schema.js';
import type { EngineEvent, EngineEventMap } from '../engine/types.js';
import { severityOf, type Alert, type AlertError } from './alert.js';
import { Incident, RecentErrors } from './incident.js';
import {
  authSummary,
  breakerOpenSummary,
  degradedSummary,
  exhaustedSummary,
  failoverSummary,
  fastAgainSummary,
  fleetBackSummary,
  fleetLostSummary,
  recoveredSummary,
} from './summary.js';

/** The incident key for "every provider failed": not one provider's trouble but everyone's. */
const EVERYONE = '*';

/** The incident key for losing the fleet's shared health store (fleet mode). */
const FLEET = 'fleet:store';

/** The incident key of a provider's slowness: apart from its failures, which a slow answer is not. */
const slowKey = (provider: string) => `slow:${provider}`;

/** Problem kinds keyed by one provider, whose folded counts a `recovered` of that provider reports. */
const PROVIDER_KINDS: readonly AlertKind[] = ['failover', 'breaker-open', 'auth'];

export interface AlertTrackerOptions {
  /** At most one alert per kind and provider in this window (engine-clock milliseconds). */
  readonly throttleMs: number;
  /** The kinds to hand out; the others still open incidents and are throttled, just not returned. */
  readonly on?: readonly AlertKind[];
  /** Maps engine-clock time to wall time (ms since the epoch), for the ISO times in alerts. */
  readonly toWallTime: (clockMs: number) => number;
}

interface Throttle {
  sentAt: number;
  folded: number;
}

type Of<K extends keyof EngineEventMap> = EngineEventMap[K] & { at: number };

/**
 * Turns engine events into the alerts to send: opens an incident per provider at its first
 * failover, breaker opening or rejected key (and one for everyone at the first exhausted
 * request), lets at most one alert per kind and provider through per `throttleMs` while
 * counting the rest into the next one, and sends `recovered` when a provider answers again
 * after an incident someone was told about. No I/O and no timers: time is the events' `at`.
 */
export class AlertTracker {
  private readonly incidents = new Map<string, Incident>();
  private readonly throttles = new Map<string, Throttle>();
  private readonly errors = new RecentErrors();
  private readonly wanted: ReadonlySet<AlertKind> | undefined;
  private foldedTotal = 0;

  constructor(private readonly options: AlertTrackerOptions) {
    this.wanted = options.on ? new Set(options.on) : undefined;
  }

  /** Alerts held back by the throttle so far, of the kinds this tracker hands out. */
  get throttled(): number {
    return this.foldedTotal;
  }

  /** The alerts (usually none, at most one) that this event calls for. */
  handle(event: EngineEvent): Alert[] {
    switch (event.type) {
      case 'failure':
        return this.onFailure(event);
      case 'restart':
        // The engine emits a `failover` for the same move; only the error is news here.
        this.errors.record(event.from, event.error);
        return [];
      case 'failover':
        return this.onFailover(event);
      case 'breaker':
        return event.to === 'open' ? this.onBreakerOpen(event) : [];
      case 'exhausted':
        return this.onExhausted(event);
      case 'recovered':
        return this.onAnswering(event.provider, event.at, event.downForMs);
      case 'success':
        return this.onAnswering(event.provider, event.at);
      case 'shared':
        return event.available ? this.onFleetBack(event.at) : this.onFleetLost(event);
      case 'degraded':
        return event.degraded ? this.onDegraded(event) : this.onFastAgain(event.provider, event.at);
      default:
        return [];
    }
  }

  private onFailure(event: Of<'failure'>): Alert[] {
    this.errors.record(event.provider, event.error);
    this.incidents.get(event.provider)?.touch(event.requestId);
    // A rejected key and an account out of credit both wait on a person, not on time.
    if (event.error.kind !== 'auth' && event.error.kind !== 'quota') return [];
    const incident = this.open(event.provider, event.at);
    incident.touch(event.requestId);
    const [error] = this.errors.of([event.provider]).slice(-1);
    return this.raise('auth', event.provider, event.at, incident, (folded) => ({
      providers: [event.provider],
      summary: authSummary(event.provider, error!, folded),
    }));
  }

  private onFailover(event: Of<'failover'>): Alert[] {
    const incident = this.open(event.from, event.at);
    incident.touch(event.requestId);
    return this.raise('failover', event.from, event.at, incident, (folded) => ({
      providers: [event.from],
      summary: failoverSummary(event.from, event.to, event.reason, incident.affectedRequests, folded),
    }));
  }

  private onBreakerOpen(event: Of<'breaker'>): Alert[] {
    const incident = this.open(event.provider, event.at);
    const retryAt = event.retryAt === undefined ? undefined : this.iso(event.retryAt);
    return this.raise('breaker-open', event.provider, event.at, incident, (folded) => ({
      providers: [event.provider],
      summary: breakerOpenSummary(event.provider, this.errors.of([event.provider]).at(-1), retryAt, folded),
    }));
  }

  private onExhausted(event: Of<'exhausted'>): Alert[] {
    for (const attempt of event.attempts) if (attempt.error) this.errors.record(attempt.provider, attempt.error);
    const providers = [...new Set(event.attempts.map((attempt) => attempt.provider))];
    const incident = this.open(EVERYONE, event.at);
    incident.touch(event.requestId);
    return this.raise('exhausted', EVERYONE, event.at, incident, (folded) => ({
      providers,
      summary: exhaustedSummary(this.errors.of(providers), providers, incident.affectedRequests, folded),
    }));
  }

  /**
   * A provider answered (its breaker closed, or a request succeeded there): its incident is
   * over, and so is everyone's. A `recovered` goes out only when a problem alert did.
   */
  private onAnswering(provider: string, at: number, downForMs?: number): Alert[] {
    const closing = [provider, EVERYONE].flatMap((key) => {
      const incident = this.incidents.get(key);
      return incident ? [{ key, incident }] : [];
    });
    const errors = this.errors.of([provider]);
    // The provider is healthy: a stale error must not decorate an alert days later.
    this.errors.clear(provider);
    if (closing.length === 0) return [];
    for (const { key } of closing) this.incidents.delete(key);
    if (!closing.some(({ incident }) => incident.announced)) return [];

    const startedAt = Math.min(...closing.map(({ incident }) => incident.startedAt));
    const affected = Math.max(...closing.map(({ incident }) => incident.affectedRequests));
    const folded = closing.reduce((sum, { key }) => sum + this.takeFolded(key), 0);
    if (!this.wants('recovered')) return [];
    return [
      this.alert('recovered', at, startedAt, {
        providers: [provider],
        errors,
        affectedRequests: affected,
        folded,
        summary: recoveredSummary(provider, downForMs ?? at - startedAt, affected),
      }),
    ];
  }

  private onDegraded(event: Of<'degraded'>): Alert[] {
    const key = slowKey(event.provider);
    const incident = this.open(key, event.at);
    const p90Ms = event.p90Ms ?? event.slowMs;
    return this.raise('degraded', key, event.at, incident, (folded) => ({
      providers: [event.provider],
      summary: degradedSummary(event.provider, p90Ms, event.slowMs, folded),
    }));
  }

  /** A `recovered` closes a slowness incident someone was told of. */
  private onFastAgain(provider: string, at: number): Alert[] {
    const key = slowKey(provider);
    const incident = this.incidents.get(key);
    this.incidents.delete(key);
    if (!incident?.announced || !this.wants('recovered')) return [];
    return [
      this.alert('recovered', at, incident.startedAt, {
        providers: [provider],
        errors: [],
        affectedRequests: 0,
        folded: this.takeFolded(key),
        summary: fastAgainSummary(provider, at - incident.startedAt),
      }),
    ];
  }

  private onFleetLost(event: Of<'shared'>): Alert[] {
    const incident = this.open(FLEET, event.at);
    return this.raise('fleet', FLEET, event.at, incident, () => ({ providers: [], summary: fleetLostSummary(event.detail) }));
  }

  /** The store is back: a `recovered` closes the fleet incident, when someone was told of it. */
  private onFleetBack(at: number): Alert[] {
    const incident = this.incidents.get(FLEET);
    this.incidents.delete(FLEET);
    if (!incident?.announced || !this.wants('recovered')) return [];
    return [
      this.alert('recovered', at, incident.startedAt, {
        providers: [],
        errors: [],
        affectedRequests: 0,
        folded: this.takeFolded(FLEET),
        summary: fleetBackSummary(at - incident.startedAt),
      }),
    ];
  }

  private open(key: string, at: number): Incident {
    let incident = this.incidents.get(key);
    if (!incident) this.incidents.set(key, (incident = new Incident(at)));
    return incident;
  }

  /** Sends an alert of `kind` for `key` unless one went out within the window; then folds it. */
  private raise(
    kind: AlertKind,
    key: string,
    at: number,
    incident: Incident,
    build: (folded: number) => { providers: string[]; summary: string },
  ): Alert[] {
    const throttleKey = `${kind} ${key}`;
    const last = this.throttles.get(throttleKey);
    if (last && at - last.sentAt < this.options.throttleMs) {
      last.folded++;
      if (this.wants(kind)) this.foldedTotal++;
      return [];
    }
    const folded = last?.folded ?? 0;
    this.throttles.set(throttleKey, { sentAt: at, folded: 0 });
    // Announced even to a sink that skips this kind: its `recovered` must still follow.
    incident.announced = true;
    if (!this.wants(kind)) return [];
    const { providers, summary } = build(folded);
    return [
      this.alert(kind, at, incident.startedAt, {
        providers,
        errors: this.errors.of(providers),
        affectedRequests: incident.affectedRequests,
        folded,
        summary,
      }),
    ];
  }

  /** Takes (and zeroes) the folded counts an incident's closing `recovered` reports. */
  private takeFolded(key: string): number {
    const kinds = key === EVERYONE ? (['exhausted'] as const) : key === FLEET ? (['fleet'] as const) : key.startsWith('slow:') ? (['degraded'] as const) : PROVIDER_KINDS;
    let total = 0;
    for (const kind of kinds) {
      const throttle = this.throttles.get(`${kind} ${key}`);
      if (!throttle) continue;
      total += throttle.folded;
      throttle.folded = 0;
    }
    return total;
  }

  private alert(
    kind: AlertKind,
    at: number,
    startedAt: number,
    rest: { providers: string[]; errors: AlertError[]; affectedRequests: number; folded: number; summary: string },
  ): Alert {
    return { kind, severity: severityOf[kind], ...rest, startedAt: this.iso(startedAt), at: this.iso(at) };
  }

  private wants(kind: AlertKind): boolean {
    return this.wanted === undefined || this.wanted.has(kind);
  }

  private iso(clockMs: number): string {
    return new Date(this.options.toWallTime(clockMs)).toISOString();
  }
}
