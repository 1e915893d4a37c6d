import { ExitCode } from '../commands/exit-codes.js';

/** Ctrl-C for a batch, in three steps. */
export interface BatchInterrupts {
  /** First Ctrl-C (or SIGTERM): take no new work; calls in flight finish. */
  readonly stop: AbortSignal;
  /** Second: abort the calls in flight (into the outbox). */
  readonly abort: AbortSignal;
  dispose(): void;
}

/**
 * Like the shared `handleInterrupts`, with one step more: a batch has work in flight worth
 * letting finish, so the first Ctrl-C only stops new work, the second aborts what is in flight
 * (the summary still prints and the outbox is written), and a third exits at once.
 */
export function handleBatchInterrupts(onSignal: (step: 'stop' | 'abort') => void): BatchInterrupts {
  const stop = new AbortController();
  const abort = new AbortController();
  const listener = () => {
    if (abort.signal.aborted) process.exit(ExitCode.interrupted);
    if (stop.signal.aborted) {
      abort.abort(new Error('interrupted twice'));
      onSignal('abort');
      return;
    }
    stop.abort(new Error('interrupted'));
    onSignal('stop');
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return {
    stop: stop.signal,
    abort: abort.signal,
    dispose() {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    },
  };
}
