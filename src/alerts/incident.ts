import type { AttemptError } from '../engine/types.js';
import type { AlertError } from './alert.js';

/** Requests counted exactly up to this many distinct ids per incident, then counted as they come. */
const MAX_TRACKED_IDS = 10_000;
/** Distinct errors kept per provider: enough to diagnose, short enough for a pager. */
const MAX_ERRORS = 3;

/**
 * One stretch of trouble for a provider (or, keyed "*", for everyone: requests exhausted).
 * It opens at the first failover / breaker-open / auth / exhausted and closes when the
 * provider answers again.
 */
export class Incident {
  /** Whether a problem alert for it reached the sinks, so its end deserves a `recovered`. */
  announced = false;
  private readonly ids = new Set<number>();
  private overflow = 0;

  constructor(readonly startedAt: number) {}

  /** Counts a request as affected; a request seen twice (retry, then failover) counts once. */
  touch(requestId: number): void {
    // Probe and `check` calls carry request id 0: nobody's request was affected.
    if (requestId <= 0 || this.ids.has(requestId)) return;
    if (this.ids.size < MAX_TRACKED_IDS) this.ids.add(requestId);
    else this.overflow++;
  }

  get affectedRequests(): number {
    return this.ids.size + this.overflow;
  }
}

/** The last few distinct errors of each provider, newest last. */
export class RecentErrors {
  private readonly byProvider = new Map<string, AlertError[]>();

  record(provider: string, error: AttemptError): void {
    const entry: AlertError = {
      provider,
      class: error.class,
      kind: error.kind,
      ...(error.status === undefined ? {} : { status: error.status }),
      message: error.message,
    };
    const same = (other: AlertError) => other.kind === entry.kind && other.status === entry.status && other.message === entry.message;
    const list = (this.byProvider.get(provider) ?? []).filter((other) => !same(other));
    list.push(entry);
    this.byProvider.set(provider, list.slice(-MAX_ERRORS));
  }

  of(providers: readonly string[]): AlertError[] {
    return providers.flatMap((provider) => this.byProvider.get(provider) ?? []);
  }

  clear(provider: string): void {
    this.byProvider.delete(provider);
  }
}
