import type { EngineContext } from './context.js';
import { startRun } from './context.js';
import { runFailover } from './failover.js';
import type { CallOptions, CompletionRequest, CompletionResult } from './types.js';

/** A whole completion through failover; the engine's whole-call timer covers headers and body. */
export async function complete(
  context: EngineContext,
  request: CompletionRequest,
  options: CallOptions = {},
): Promise<CompletionResult> {
  const run = startRun(context, options.signal);
  const { slot, value, scope } = await runFailover(context, run, (slot, scope, budgetMs) => {
    scope.arm('call', Math.min(slot.settings.timeoutMs, budgetMs));
    return slot.client.complete(request, scope.signal);
  });
  scope.dispose(true);
  const now = context.clock.now();
  context.events.emit('success', { provider: slot.name, requestId: run.requestId, ms: now - run.startedAt, attempts: run.attempts });
  return { ...value, provider: slot.name, model: value.model || slot.config.model, attempts: run.attempts };
}
