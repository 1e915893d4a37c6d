import { ExitCode } from './exit-codes.js';

/** What stopped the process: Ctrl-C, or an orchestrator stopping a service. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

export interface Interrupts {
  /** Aborted at the first SIGINT/SIGTERM: stop taking work, clean up, then exit. */
  readonly signal: AbortSignal;
  /**
   * Aborted at the second one, for commands with a harder second step (a batch aborting the
   * calls it let finish at first). Without that step it is never aborted: the second exits.
   */
  readonly hardSignal: AbortSignal;
  /** The first signal received, if any (a service exits 0 for SIGTERM, 130 for Ctrl-C). */
  readonly received: InterruptSignal | undefined;
  /** Stops listening (the command finished on its own). */
  dispose(): void;
}

export interface InterruptOptions {
  /** 2 for commands with a graceful and a hard stop; default 1. */
  readonly steps?: 1 | 2;
  /** Told at each step, e.g. to print "finishing calls in flight (Ctrl-C again to abort them)". */
  readonly onInterrupt?: (step: 1 | 2, signal: InterruptSignal) => void;
}

/**
 * Ctrl-C handling shared by every long-running command (DESIGN.md: exit 130 after cleaning up,
 * and a further Ctrl-C exits at once): each SIGINT/SIGTERM takes the next step, and one past
 * the last step exits immediately.
 */
export function handleInterrupts(options: InterruptOptions = {}): Interrupts {
  const steps = options.steps ?? 1;
  const first = new AbortController();
  const second = new AbortController();
  let received: InterruptSignal | undefined;
  let taken = 0;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      taken++;
      if (taken > steps) process.exit(ExitCode.interrupted);
      received ??= name;
      (taken === 1 ? first : second).abort(new Error(`interrupted (${name})`));
      options.onInterrupt?.(taken as 1 | 2, name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: first.signal,
    hardSignal: second.signal,
    get received() {
      return received;
    },
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
