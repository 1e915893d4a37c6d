import type { Permit } from './breaker.js';
import type { EngineContext } from './context.js';
import type { ProviderSlot } from './provider-slot.js';

/**
 * A breaker change as a fleet of instances shares it. Times are wall-clock milliseconds, because
 * every instance's engine clock has its own origin.
 */
export type SharedBreakerChange =
  | { readonly provider: string; readonly state: 'open'; readonly retryAtWallMs: number; readonly reopens: number }
  | { readonly provider: string; readonly state: 'closed' };

/**
 * Where instances share what they learn about providers (e.g. Redis), so one outage is learned
 * once by the whole fleet. An implementation is an aid, never a dependency: every call is
 * bounded, and when the store is unreachable it answers as if alone (publish drops, the trial
 * lock is granted) and says so through `onAvailability`.
 */
export interface SharedHealth {
  /** Announces a breaker that opened or closed here. Never throws, never blocks. */
  publish(change: SharedBreakerChange): void;
  /** Changes announced by other instances. */
  subscribe(listener: (change: SharedBreakerChange) => void): () => void;
  /**
   * The fleet-wide half-open trial lock for a provider, held for at most `ttlMs`: true when this
   * instance may run the trial (or the store cannot be asked), false when another one runs it.
   */
  acquireTrial(provider: string, ttlMs: number): Promise<boolean>;
  /** Breakers already open in the fleet when this instance starts. */
  snapshot(): Promise<SharedBreakerChange[]>;
  /** Called when the store becomes unreachable and when it is back. */
  onAvailability(listener: (available: boolean, detail: string) => void): () => void;
  /**
   * The fleet-wide hedge budget's ledger: adds this instance's requests and hedges since its last
   * call to the fleet's counts, and answers the fleet's totals over the last one or two windows
   * of `windowMs`; undefined when the store cannot be asked (the instance then budgets alone).
   * Optional: a store without it leaves every instance its own budget.
   */
  countHedges?(requests: number, hedges: number, windowMs: number): Promise<HedgeTotals | undefined>;
}

/** Requests and hedges counted by a whole fleet over its recent windows. */
export interface HedgeTotals {
  readonly requests: number;
  readonly hedges: number;
}

/**
 * A permit to call `slot`, from its breaker and, for a half-open trial, from the fleet: only one
 * instance runs a provider's trial, the others skip it until the verdict reaches them.
 */
export async function acquirePermit(context: EngineContext, slot: ProviderSlot, force = false): Promise<Permit | undefined> {
  if (context.fleetReady) await context.fleetReady;
  const permit = force ? slot.breaker.forceTrial() : slot.breaker.tryAcquire();
  if (!permit?.trial || !context.shared) return permit;
  const ttlMs = trialLockMs(slot);
  if (await context.shared.acquireTrial(slot.name, ttlMs)) return permit;
  slot.breaker.deferTrial(permit, ttlMs);
  return undefined;
}

/** Long enough for the slowest trial (a stream waiting for its first token), then the lock lapses. */
function trialLockMs(slot: ProviderSlot): number {
  return Math.max(slot.settings.timeoutMs, slot.settings.firstTokenTimeoutMs) + 1_000;
}

/**
 * Wires an engine's breakers to the fleet: local changes go out, remote ones are adopted.
 * `ready` settles once the breakers already open in the fleet are known, so a new instance's
 * first request does not call a primary the fleet already knows is down.
 */
export function joinFleet(context: EngineContext, shared: SharedHealth): { ready: Promise<void>; leave(): void } {
  const toLocal = (wallMs: number) => context.clock.now() + (wallMs - Date.now());
  const adopt = (change: SharedBreakerChange) => {
    const slot = context.slots.find((candidate) => candidate.name === change.provider);
    if (!slot) return;
    slot.breaker.adopt(change.state === 'open' ? { state: 'open', retryAt: toLocal(change.retryAtWallMs), reopens: change.reopens } : { state: 'closed' });
  };
  const unsubscribe = shared.subscribe(adopt);
  const unwatch = shared.onAvailability((available, detail) => context.events.emit('shared', { available, detail }));
  const ready = shared.snapshot().then(
    (changes) => changes.forEach(adopt),
    () => {},
  );
  return {
    ready,
    leave() {
      unsubscribe();
      unwatch();
    },
  };
}

/** The fleet's view of a local change; half-open is a local step and is not shared. */
export function toSharedChange(provider: string, to: string, retryAt: number | undefined, reopens: number | undefined, clockNow: number): SharedBreakerChange | undefined {
  if (to === 'closed') return { provider, state: 'closed' };
  if (to === 'open' && retryAt !== undefined) {
    return { provider, state: 'open', retryAtWallMs: Date.now() + (retryAt - clockNow), reopens: reopens ?? 0 };
  }
  return undefined;
}
