import type { CancelSignal } from './cancellation.js';

/**
 * Time as the engine sees it. Breakers, backoff and timeouts read time only through a Clock,
 * so tests drive cool-downs of minutes in microseconds with a manual clock.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences matter. */
  now(): number;
  /**
   * Calls `fn` after `ms`; the returned function cancels it. An `unref` timer does not keep the
   * process alive (background work such as the probe).
   */
  setTimeout(fn: () => void, ms: number, options?: { unref?: boolean }): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout(fn, ms, options) {
    const handle = setTimeout(fn, ms);
    if (options?.unref) handle.unref();
    return () => clearTimeout(handle);
  },
};

/** Resolves after `ms` on `clock`, or rejects with the signal's reason when it aborts first. */
export function sleep(clock: Clock, ms: number, signal?: CancelSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel();
      reject(signal!.reason);
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
