import { checkProvider } from './check.js';
import type { EngineContext } from './context.js';
import type { CheckKind } from './types.js';

/**
 * The optional background probe: every `intervalMs`, a tiny request to each provider whose
 * breaker is open and due for a trial, so the primary comes back as soon as it answers without
 * a user's request paying for the test. Its timer never keeps the process alive.
 */
export function startProbe(context: EngineContext, intervalMs: number, kind: CheckKind): () => void {
  let stopped = false;
  let cancel = () => {};
  const tick = async () => {
    const now = context.clock.now();
    const due = context.slots.filter((slot) => slot.breaker.state === 'open' && (slot.breaker.retryAt ?? 0) <= now);
    await Promise.allSettled(due.map((slot) => checkProvider(context, slot, kind)));
    if (!stopped) cancel = context.clock.setTimeout(() => void tick(), intervalMs, { unref: true });
  };
  cancel = context.clock.setTimeout(() => void tick(), intervalMs, { unref: true });
  return () => {
    stopped = true;
    cancel();
  };
}
