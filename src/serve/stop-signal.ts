import { ExitCode } from '../commands/exit-codes.js';

/** The signal that asked the gateway to stop. */
export type StopSignal = 'SIGTERM' | 'SIGINT';

/** A wait for the first SIGTERM or SIGINT, and a way to stop listening for them. */
export interface StopRequest {
  /** Resolves with the first signal received. */
  readonly signal: Promise<StopSignal>;
  dispose(): void;
}

/**
 * Waits for SIGTERM (an orchestrator stopping the service: exit 0 once drained) or SIGINT
 * (Ctrl-C: exit 130). Unlike `handleInterrupts`, it says which one came, because the exit
 * codes differ. A second signal exits at once, for a drain that takes too long.
 */
export function waitForStopSignal(): StopRequest {
  let received: StopSignal | undefined;
  let resolve!: (signal: StopSignal) => void;
  const signal = new Promise<StopSignal>((settle) => (resolve = settle));
  const handlers = (['SIGTERM', 'SIGINT'] as const).map((name) => {
    const handler = () => {
      if (received) process.exit(ExitCode.interrupted);
      received = name;
      resolve(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal,
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
