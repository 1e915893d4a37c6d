import type { SharedBreakerChange, SharedHealth } from '../../src/engine/shared-health.js';

/**
 * An in-memory store shared by several engines in one test: what the Redis implementation does
 * across processes, without a server, so the engine's side of fleet mode is tested alone.
 */
export class MemoryFleet {
  private readonly members = new Set<(change: SharedBreakerChange) => void>();
  private readonly locks = new Map<string, number>();
  private readonly open = new Map<string, SharedBreakerChange>();
  /** While false, every member behaves as if the store were unreachable. */
  available = true;
  trialsGranted = 0;
  /** The fleet's hedge ledger (one window that never ends: tests are short). */
  readonly hedgeTotals = { requests: 0, hedges: 0 };

  constructor(private readonly now: () => number) {}

  member(): SharedHealth {
    let self: ((change: SharedBreakerChange) => void) | undefined;
    return {
      publish: (change) => {
        if (!this.available) return;
        if (change.state === 'open') this.open.set(change.provider, change);
        else this.open.delete(change.provider);
        for (const listener of this.members) if (listener !== self) listener(change);
      },
      subscribe: (listener) => {
        self = listener;
        this.members.add(listener);
        return () => this.members.delete(listener);
      },
      acquireTrial: async (provider, ttlMs) => {
        if (!this.available) return true;
        const heldUntil = this.locks.get(provider) ?? -Infinity;
        if (heldUntil > this.now()) return false;
        this.locks.set(provider, this.now() + ttlMs);
        this.trialsGranted++;
        return true;
      },
      snapshot: async () => [...this.open.values()],
      countHedges: async (requests, hedges) => {
        if (!this.available) return undefined;
        this.hedgeTotals.requests += requests;
        this.hedgeTotals.hedges += hedges;
        return { ...this.hedgeTotals };
      },
      onAvailability: () => () => {},
    };
  }
}
