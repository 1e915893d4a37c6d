import { faultApplies, splitScope, validateFault } from './faults.js';
import type { Fault, FaultScope, Route, ScopedFault } from './faults.js';

/** The fault in effect now and what is left of its scope. */
export interface ActiveFault {
  readonly fault: Fault;
  readonly scope: FaultScope;
  /** Requests left to fault, for a counted scope. */
  readonly remaining?: number;
  /** Clock time (ms since epoch) at which a timed fault ends. */
  readonly endsAt?: number;
}

interface Entry {
  fault: Fault;
  scope: FaultScope;
  remaining?: number;
  endsAt?: number;
  /** Requests this fault applied to so far, for a fault that hits one in `every`. */
  seen?: number;
}

/**
 * Which fault is in effect, for how much longer, and what comes after it. Faults play in order:
 * the next one takes effect when the current one's count is spent or its time is up.
 * Shared by the mock server and the proxy.
 */
export class FaultSchedule {
  private active: Entry | undefined;
  private queue: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** @param onChange called whenever the fault in effect changes (the listener uses it to refuse or accept) */
  constructor(private readonly onChange: (active: Fault | undefined) => void) {}

  /** The fault in effect now, if any. */
  get current(): ActiveFault | undefined {
    return this.active && { ...this.active };
  }

  /** Replaces whatever was scheduled with these faults, played one after another. Throws on an invalid fault. */
  set(faults: ReadonlyArray<Fault | ScopedFault>, scope?: FaultScope): void {
    const entries = faults.map((fault) => {
      const split = splitScope(fault, scope);
      validateFault(split.fault, split.scope);
      return { fault: split.fault, scope: split.scope };
    });
    this.stopTimer();
    this.queue = entries;
    this.active = undefined;
    this.advance();
  }

  /** Ends every scheduled fault: healthy from now on. */
  clear(): void {
    this.set([]);
  }

  /**
   * The fault to play on a request for this route, if one applies, spending one of its count.
   * Call once per request.
   */
  take(route: Route): Fault | undefined {
    const entry = this.active;
    if (!entry || !faultApplies(entry.fault, entry.scope, route)) return undefined;
    if (entry.scope.every !== undefined && (entry.seen = (entry.seen ?? 0) + 1) % entry.scope.every !== 0) return undefined;
    if (entry.remaining !== undefined && --entry.remaining <= 0) this.advance();
    return entry.fault;
  }

  /** Stops the timer of a timed fault, so a closed server leaves nothing running. */
  dispose(): void {
    this.stopTimer();
    this.queue = [];
    this.active = undefined;
  }

  private advance(): void {
    this.stopTimer();
    const next = this.queue.shift();
    this.active = next && {
      ...next,
      ...(next.scope.count !== undefined ? { remaining: next.scope.count } : {}),
      ...(next.scope.forMs !== undefined ? { endsAt: Date.now() + next.scope.forMs } : {}),
    };
    // Real time on purpose: the fault is seen by real clients over real sockets.
    if (next?.scope.forMs !== undefined) this.timer = setTimeout(() => this.advance(), next.scope.forMs);
    this.onChange(this.active?.fault);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
