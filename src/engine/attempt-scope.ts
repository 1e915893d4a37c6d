import { classify, type ClassOverrides } from './classify.js';
import type { Clock } from './clock.js';
import type { AttemptError } from './types.js';

export type TimeoutKind = NonNullable<AttemptError['timeout']>;

/** The caller gave up: never retried, never failed over, not held against the provider. */
export const ABORTED: AttemptError = { class: 'fatal', kind: 'aborted', message: 'the caller aborted the request' };

/**
 * The lifetime of one call to one provider: an AbortController that follows the caller's
 * signal, plus the engine's own timers (whole call, first token, idle gap). When a timer fires
 * the call is aborted and `timedOut` says which one, so the abort is classed as a timeout, not
 * as the caller giving up.
 */
export class AttemptScope {
  private readonly controller = new AbortController();
  private cancelTimer: (() => void) | undefined;
  private expired: TimeoutKind | undefined;
  private readonly unlinkCaller: () => void;

  constructor(
    private readonly clock: Clock,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    if (!callerSignal) {
      this.unlinkCaller = () => {};
    } else if (callerSignal.aborted) {
      this.controller.abort(callerSignal.reason);
      this.unlinkCaller = () => {};
    } else {
      const onAbort = () => this.controller.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', onAbort, { once: true });
      this.unlinkCaller = () => callerSignal.removeEventListener('abort', onAbort);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get timedOut(): TimeoutKind | undefined {
    return this.expired;
  }

  get callerAborted(): boolean {
    return this.callerSignal?.aborted ?? false;
  }

  /** (Re)starts the one timer of this scope; a stream re-arms `idle` at every chunk. */
  arm(kind: TimeoutKind, ms: number): void {
    this.cancelTimer?.();
    this.cancelTimer = this.clock.setTimeout(() => {
      this.expired = kind;
      this.controller.abort(new Error(`${kind} timeout after ${ms} ms`));
    }, ms);
  }

  disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** Ends the scope: timers cleared, caller unlinked, and (unless it finished) the call aborted. */
  dispose(finished = false): void {
    this.disarm();
    this.unlinkCaller();
    if (!finished && !this.controller.signal.aborted) this.controller.abort(new Error('attempt ended'));
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
