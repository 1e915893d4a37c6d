import { classify, type ClassOverrides } from './classify.js';
import { Cancellation, type CancelSignal } from './cancellation.js';
import type { Clock } from './clock.js';
import type { AttemptError } from './types.js';

export type TimeoutKind = NonNullable<AttemptError['timeout']>;

/** The caller gave up: never retried, never failed over, not held against the provider. */
export const ABORTED: AttemptError = { class: 'fatal', kind: 'aborted', message: 'the caller aborted the request' };

/**
 * The lifetime of one call to one provider: a Cancellation that follows the caller's
 * signal, plus the engine's own timers (whole call, first token, idle gap). When a timer fires
 * the call is aborted and `timedOut` says which one, so the abort is classed as a timeout, not
 * as the caller giving up.
 */
export class AttemptScope {
  private readonly cancellation = new Cancellation();
  /** The armed timeout (undefined: disarmed), how long it is, and the clock time it expires. */
  private armed: TimeoutKind | undefined;
  private armedMs = 0;
  private dueAt = 0;
  /** The one clock timer behind it, and when that timer wakes (never later than `dueAt`). */
  private cancelTimer: (() => void) | undefined;
  private wakeAt = 0;
  private expired: TimeoutKind | undefined;
  private readonly unlinkCaller: () => void;

  constructor(
    private readonly clock: Clock,
    private readonly callerSignal: CancelSignal | undefined,
  ) {
    if (!callerSignal) {
      this.unlinkCaller = () => {};
    } else if (callerSignal.aborted) {
      this.cancellation.abort(callerSignal.reason);
      this.unlinkCaller = () => {};
    } else {
      const onAbort = () => this.cancellation.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', onAbort, { once: true });
      this.unlinkCaller = () => callerSignal.removeEventListener('abort', onAbort);
    }
  }

  get signal(): CancelSignal {
    return this.cancellation;
  }

  get timedOut(): TimeoutKind | undefined {
    return this.expired;
  }

  get callerAborted(): boolean {
    return this.callerSignal?.aborted ?? false;
  }

  /**
   * (Re)starts the one timeout of this scope. A stream re-arms `idle` at every chunk, so this only
   * moves a deadline: a clock timer already due no later than it is kept, and when it wakes early
   * it sleeps again until the deadline, rather than one timer being created and cleared per chunk.
   */
  arm(kind: TimeoutKind, ms: number): void {
    const dueAt = this.clock.now() + ms;
    this.armed = kind;
    this.armedMs = ms;
    this.dueAt = dueAt;
    if (this.cancelTimer && this.wakeAt <= dueAt) return;
    this.cancelTimer?.();
    this.wakeAt = dueAt;
    this.cancelTimer = this.clock.setTimeout(() => this.wake(), ms);
  }

  /** Stops the timeout; a timer still pending finds nothing armed when it wakes (or serves the next `arm`). */
  disarm(): void {
    this.armed = undefined;
  }

  private wake(): void {
    this.cancelTimer = undefined;
    const kind = this.armed;
    if (!kind) return;
    const left = this.dueAt - this.clock.now();
    if (left > 0) {
      this.wakeAt = this.dueAt;
      this.cancelTimer = this.clock.setTimeout(() => this.wake(), left);
      return;
    }
    this.expired = kind;
    this.cancellation.abort(new Error(`${kind} timeout after ${this.armedMs} ms`));
  }

  /** Ends the scope: timers cleared, caller unlinked, and (unless it finished) the call aborted. */
  dispose(finished = false): void {
    this.armed = undefined;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.unlinkCaller();
    if (!finished) this.cancellation.abort(new Error('attempt ended'));
  }

  /**
   * What a call that threw in this scope means: one of the engine's own timers fired, the
   * caller aborted, or (only then) whatever the provider did, classified.
   */
  failureOf(thrown: unknown, overrides: ClassOverrides): AttemptError {
    if (this.expired) return this.timeoutError();
    if (this.callerAborted) return ABORTED;
    return classify(thrown, overrides);
  }

  timeoutError(): AttemptError {
    const kind = this.expired ?? 'call';
    const what = kind === 'call' ? 'no answer' : kind === 'first-token' ? 'no first token' : 'stream stalled';
    return { class: 'retryable', kind: 'timeout', timeout: kind, message: `${what} within the ${kind} timeout` };
  }
}
