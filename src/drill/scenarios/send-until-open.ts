import type { ScenarioContext } from '../types.js';

/** Enough requests to open any sane breaker, few enough that a broken one does not stall the drill. */
const MAX_REQUESTS_TO_OPEN = 10;

/**
 * Sends requests while the primary is faulted until its breaker opens (or a bound is reached:
 * an engine that never opens it is then caught by the checks, not by a hang).
 */
export async function sendUntilPrimaryOpens(context: ScenarioContext, label = 'request'): Promise<void> {
  const isOpen = () => context.engine.state().find((provider) => provider.name === context.primary)?.breaker === 'open';
  for (let n = 1; n <= MAX_REQUESTS_TO_OPEN; n++) {
    await context.complete(`${label} ${n}`);
    if (isOpen()) return;
  }
}
