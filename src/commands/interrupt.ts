import { ExitCode } from './exit-codes.js';

export interface Interrupt {
  /** Aborts at the first Ctrl-C (or SIGTERM): stop taking work, clean up, exit 130. */
  readonly signal: AbortSignal;
  /** Stops listening (the command finished on its own). */
  dispose(): void;
}

/**
 * Ctrl-C handling shared by every long-running command: the first SIGINT/SIGTERM aborts
 * `signal` so the command can clean up and exit 130 itself; a second one exits at once.
 */
export function handleInterrupts(onFirst?: () => void): Interrupt {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort(new Error('interrupted'));
    onFirst?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
