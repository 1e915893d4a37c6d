import { FaultSchedule } from './fault-schedule.js';
import type { ActiveFault } from './fault-schedule.js';
import type { Fault, FaultScope, Route, ScopedFault } from './faults.js';
import type { PortListener } from './listener.js';

/** The fault controls the mock provider and the fault proxy both offer. */
export interface FaultControls {
  /**
   * Plays this fault from now on, replacing any other; the scope (or the fault's own `count`,
   * `forMs`, `paths`) says for how long. Resolves once it is in effect (for `refuse`: the port
   * is closed). Rejects on an invalid fault.
   */
  setFault(fault: Fault | ScopedFault, scope?: FaultScope): Promise<void>;
  /** Plays these faults one after another, each once the previous one's count or time is spent. */
  setFaults(faults: ReadonlyArray<Fault | ScopedFault>): Promise<void>;
  /** Healthy again from now on (after `refuse`: resolves once the port accepts again). */
  clearFault(): Promise<void>;
  /** The fault in effect now, if any. */
  readonly fault: ActiveFault | undefined;
}

/**
 * Ties a fault schedule to a listening port: whenever `refuse` starts or ends, the port is
 * closed or reopened, and the promise the caller gets resolves once that is done.
 */
export class FaultController implements FaultControls {
  private readonly schedule: FaultSchedule;
  private transition: Promise<void> = Promise.resolve();

  /** @param listener the port to close while `refuse` is in effect */
  constructor(listener: PortListener) {
    this.schedule = new FaultSchedule((fault) => {
      this.transition = listener.setRefusing(fault?.type === 'refuse');
      // Timed changes happen with nobody awaiting them; a failed reopen must not crash the process.
      this.transition.catch(() => undefined);
    });
  }

  setFault(fault: Fault | ScopedFault, scope?: FaultScope): Promise<void> {
    return this.change(() => this.schedule.set([fault], scope));
  }

  setFaults(faults: ReadonlyArray<Fault | ScopedFault>): Promise<void> {
    return this.change(() => this.schedule.set(faults));
  }

  clearFault(): Promise<void> {
    return this.change(() => this.schedule.clear());
  }

  get fault(): ActiveFault | undefined {
    return this.schedule.current;
  }

  /** The fault to play on one request for this route, if any (spends one of a counted fault). */
  take(route: Route): Fault | undefined {
    return this.schedule.take(route);
  }

  /** Ends any timed fault's timer; call when closing. */
  dispose(): void {
    this.schedule.dispose();
  }

  private change(apply: () => void): Promise<void> {
    try {
      apply();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.transition;
  }
}
