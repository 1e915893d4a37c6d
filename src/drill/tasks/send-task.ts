import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { DrillTask, UnderstudyConfig } from '../../config/schema.js';
import { AttemptScope } from '../../engine/attempt-scope.js';
import { systemClock } from '../../engine/clock.js';
import { providerSettings } from '../../engine/provider-slot.js';
import type { AttemptError, CompletionRequest } from '../../engine/types.js';
import type { ProviderClient } from '../../providers/openai-compatible.js';

/** One task's call to one provider: the completion, or the classified error. */
export type TaskCall =
  | { readonly ok: true; readonly completion: ChatCompletion; readonly ms: number }
  | { readonly ok: false; readonly error: AttemptError; readonly ms: number };

/** The request a task sends: its prompt as one user message (or its messages), and its own settings. */
export function taskRequest(task: DrillTask): CompletionRequest {
  // The config's messages are passed through as given; the provider judges them, as in production.
  const messages = (task.messages ?? [{ role: 'user', content: task.prompt ?? '' }]) as unknown as CompletionRequest['messages'];
  return {
    messages,
    ...(task.max_tokens !== undefined ? { max_tokens: task.max_tokens } : {}),
    ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
  };
}

/**
 * Sends a request to one provider directly, outside failover, bounded by the provider's own
 * whole-call timeout the way the engine bounds an attempt (its AttemptScope), and classifies a
 * failure the way the engine does, so the report says `503 server error`, not an SDK class name.
 */
export async function sendTask(
  client: ProviderClient,
  config: UnderstudyConfig,
  request: CompletionRequest,
  signal: AbortSignal,
): Promise<TaskCall> {
  const provider = config.providers.find((candidate) => candidate.name === client.name);
  const timeoutMs = provider ? providerSettings(config, provider).timeoutMs : config.timeoutMs;
  const scope = new AttemptScope(systemClock, signal);
  const startedAt = performance.now();
  scope.arm('call', timeoutMs);
  try {
    const completion = await client.complete(request, scope.signal);
    scope.dispose(true);
    return { ok: true, completion, ms: Math.round(performance.now() - startedAt) };
  } catch (thrown) {
    const error = scope.failureOf(thrown, config.classify);
    scope.dispose();
    return { ok: false, error, ms: Math.round(performance.now() - startedAt) };
  }
}
