import type { CompletionUsage } from 'openai/resources/completions';
import type { TokenUsage } from './types.js';

/** The provider's token counts in the engine's words; undefined when it reported none. */
export function tokenUsage(usage: CompletionUsage | null | undefined): TokenUsage | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
}
