import type { EngineContext } from './context.js';
import { reportFailed, startRun } from './context.js';
import { runFailover, type AttemptCall } from './failover.js';
import { enforceContract, repairRequest } from './output-contract.js';
import type { CallOptions, ChatCompletion, CompletionRequest, CompletionResult } from './types.js';
import { tokenUsage } from './usage.js';

/**
 * A whole completion through failover; the engine's whole-call timer covers headers and body.
 * It is not streamed internally, so for hedging and the latency record its "first token" is the
 * whole answer: a hedge starts when no answer has come by the hedge point.
 */
export async function complete(
  context: EngineContext,
  request: CompletionRequest,
  options: CallOptions = {},
): Promise<CompletionResult> {
  const run = startRun(context, options.signal, options.providers, options.hedge !== false);
  const contract = options.output ?? context.output;
  const repairs = contract
    ? { attempts: contract.repairAttempts ?? 1, countsTowardsBreaker: contract.countsTowardsBreaker ?? false }
    : undefined;
  const call: AttemptCall<ChatCompletion> = async (slot, scope, budgetMs, repair) => {
    scope.arm('call', Math.min(slot.settings.timeoutMs, budgetMs));
    const completion = await slot.client.complete(repair ? repairRequest(request, repair) : request, scope.signal);
    if (contract) await enforceContract(contract, completion);
    return completion;
  };
  let answer;
  try {
    answer = await runFailover(context, run, call, 0, undefined, repairs);
  } catch (thrown) {
    reportFailed(context, run, thrown);
    throw thrown;
  }
  const { slot, value, scope, startedAt } = answer;
  scope.dispose(true);
  const now = context.clock.now();
  slot.recordTotal(now - startedAt, now);
  const usage = tokenUsage(value.usage);
  context.events.emit('success', {
    provider: slot.name,
    requestId: run.requestId,
    ms: now - run.startedAt,
    attempts: run.attempts,
    ...(usage ? { usage } : {}),
  });
  return {
    ...value,
    provider: slot.name,
    model: value.model || slot.config.model,
    attempts: run.attempts,
    ...(run.hedged ? { hedged: true as const, ...(run.wonBy ? { wonBy: run.wonBy } : {}) } : {}),
  };
}
