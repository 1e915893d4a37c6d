import type { BreakerConfig } from '../config/schema.js';
import type { Clock } from './clock.js';
import type { BreakerState } from './types.js';

type Status =
  | { readonly state: 'closed'; readonly failures: number }
  | { readonly state: 'open'; readonly retryAt: number; readonly reopens: number; readonly downSince: number }
  | { readonly state: 'half-open'; readonly reopens: number; readonly downSince: number };

/** Permission to call a provider; a trial permit is the single half-open probe. */
export interface Permit {
  readonly trial: boolean;
}

const CALL: Permit = Object.freeze({ trial: false });
const TRIAL: Permit = Object.freeze({ trial: true });

export interface BreakerChange {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly retryAt?: number;
  /** Failed trials since the provider went down (what the cool-down grows with). */
  readonly reopens?: number;
  /** When closing after an outage: how long the provider was unusable. */
  readonly downForMs?: number;
  /** The change was learned from another instance (shared health), not decided here. */
  readonly remote?: boolean;
}

/** A breaker state as instances share it: open until a time, or closed. */
export type SharedBreakerState = { readonly state: 'open'; readonly retryAt: number; readonly reopens: number } | { readonly state: 'closed' };

/**
 * A per-provider circuit breaker: closed ─(N consecutive failures)▶ open ─(cool-down)▶
 * half-open ─(trial succeeds)▶ closed, or ─(trial fails)▶ open with a doubled cool-down.
 * Only one trial runs at a time; every other request skips the provider meanwhile.
 */
export class CircuitBreaker {
  private status: Status = { state: 'closed', failures: 0 };

  constructor(
    private readonly config: BreakerConfig,
    private readonly clock: Clock,
    private readonly onChange: (change: BreakerChange) => void = () => {},
  ) {}

  get state(): BreakerState {
    return this.status.state;
  }

  /** For an open breaker: when it will admit a trial. */
  get retryAt(): number | undefined {
    return this.status.state === 'open' ? this.status.retryAt : undefined;
  }

  get consecutiveFailures(): number {
    return this.status.state === 'closed' ? this.status.failures : 0;
  }

  /**
   * Asks to call the provider: a permit, or undefined to skip it. An open breaker whose
   * cool-down has passed turns half-open and hands out its one trial permit.
   */
  tryAcquire(): Permit | undefined {
    const status = this.status;
    if (status.state === 'closed') return CALL;
    if (status.state === 'half-open') return undefined;
    if (this.clock.now() < status.retryAt) return undefined;
    this.transition({ state: 'half-open', reopens: status.reopens, downSince: status.downSince });
    return TRIAL;
  }

  /**
   * A trial now, whatever the cool-down says; used when every provider is open (so a total
   * outage recovers as soon as anything answers) and for a forced probe. Undefined while
   * another trial is running.
   */
  forceTrial(): Permit | undefined {
    const status = this.status;
    if (status.state === 'closed') return CALL;
    if (status.state === 'half-open') return undefined;
    this.transition({ state: 'half-open', reopens: status.reopens, downSince: status.downSince });
    return TRIAL;
  }

  success(permit: Permit): void {
    const status = this.status;
    if (status.state === 'closed') {
      if (status.failures > 0) this.status = { state: 'closed', failures: 0 };
    } else if (status.state === 'half-open' && permit.trial) {
      this.transition({ state: 'closed', failures: 0 }, this.clock.now() - status.downSince);
    }
    // A success from a call admitted before the breaker opened proves little; the trial decides.
  }

  /** A counted failure (retryable class). */
  failure(permit: Permit): void {
    const status = this.status;
    if (status.state === 'closed') {
      const failures = status.failures + 1;
      if (failures >= this.config.failureThreshold) this.open(0, this.clock.now());
      else this.status = { state: 'closed', failures };
    } else if (status.state === 'half-open' && permit.trial) {
      this.open(status.reopens + 1, status.downSince);
    }
  }

  /**
   * Opens at once with the long cool-down for a provider that cannot work until someone acts
   * (rejected key, unknown model).
   */
  trip(permit: Permit): void {
    const status = this.status;
    if (status.state === 'half-open' && !permit.trial) return;
    const downSince = status.state === 'closed' ? this.clock.now() : status.downSince;
    const reopens = status.state === 'closed' ? 0 : status.reopens;
    this.transition({
      state: 'open',
      retryAt: this.clock.now() + Math.max(this.config.providerErrorCooldownMs, this.cooldown(reopens)),
      reopens,
      downSince,
    });
  }

  /**
   * The permit's call ended without saying anything about the provider's health (the caller
   * aborted, the request itself was bad). A trial goes back to open, due at once, so half-open
   * can never be left waiting for a trial that will not report.
   */
  release(permit: Permit): void {
    const status = this.status;
    if (status.state !== 'half-open' || !permit.trial) return;
    this.transition({ state: 'open', retryAt: this.clock.now(), reopens: status.reopens, downSince: status.downSince });
  }

  /**
   * Another instance's half-open trial is running: stay open a little longer and let its
   * verdict, which every instance learns, decide.
   */
  deferTrial(permit: Permit, ms: number): void {
    const status = this.status;
    if (status.state !== 'half-open' || !permit.trial) return;
    // Marked remote: a deferral is not a verdict, and sharing it could re-open a provider whose
    // trial just succeeded elsewhere.
    this.transition({ state: 'open', retryAt: this.clock.now() + ms, reopens: status.reopens, downSince: status.downSince }, undefined, true);
  }

  /**
   * Takes on a state another instance decided (shared health): a breaker that opens anywhere is
   * open here too, and closes here when a trial succeeded anywhere.
   */
  adopt(shared: SharedBreakerState): void {
    const status = this.status;
    if (shared.state === 'closed') {
      if (status.state !== 'closed') this.transition({ state: 'closed', failures: 0 }, this.clock.now() - status.downSince, true);
      return;
    }
    // A trial running here keeps its say; otherwise the later of the two retry times wins.
    if (status.state === 'half-open') return;
    if (status.state === 'open' && status.retryAt >= shared.retryAt) return;
    const downSince = status.state === 'open' ? status.downSince : this.clock.now();
    this.transition({ state: 'open', retryAt: shared.retryAt, reopens: shared.reopens, downSince }, undefined, true);
  }

  /** Closed, counts cleared (an operator's reset). */
  reset(): void {
    if (this.status.state === 'closed') this.status = { state: 'closed', failures: 0 };
    else this.transition({ state: 'closed', failures: 0 });
  }

  private open(reopens: number, downSince: number): void {
    this.transition({ state: 'open', retryAt: this.clock.now() + this.cooldown(reopens), reopens, downSince });
  }

  private cooldown(reopens: number): number {
    return Math.min(this.config.maxCooldownMs, this.config.cooldownMs * 2 ** reopens);
  }

  private transition(next: Status, downForMs?: number, remote = false): void {
    const from = this.status.state;
    this.status = next;
    if (from === next.state && next.state !== 'open') return;
    this.onChange({
      from,
      to: next.state,
      ...(next.state === 'open' ? { retryAt: next.retryAt, reopens: next.reopens } : {}),
      ...(downForMs === undefined ? {} : { downForMs }),
      ...(remote ? { remote } : {}),
    });
  }
}
