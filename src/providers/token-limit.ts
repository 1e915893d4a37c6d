import type { CompletionRequest } from '../engine/types.js';

/**
 * One request goes to every provider in the list, but OpenAI's reasoning models reject
 * `max_tokens` and want `max_completion_tokens`, while many other providers know only the
 * former. The first such 400 from a provider switches it to the other name for good, and the
 * request is sent again at once, so a healthy provider is never failed over a parameter name.
 * One instance per provider client, whichever transport the client uses.
 */
export class TokenLimitParameter {
  private renamed = false;

  /** Calls `call` with the request as this provider wants it, renaming and resending once if told to. */
  async send<T>(request: CompletionRequest, call: (request: CompletionRequest) => Promise<T>): Promise<T> {
    if (this.renamed) return call(renameMaxTokens(request));
    try {
      return await call(request);
    } catch (error) {
      if (request.max_tokens == null || !asksForMaxCompletionTokens(error)) throw error;
      this.renamed = true;
      return call(renameMaxTokens(request));
    }
  }
}

function renameMaxTokens(request: CompletionRequest): CompletionRequest {
  if (request.max_tokens == null) return request;
  const { max_tokens, ...rest } = request;
  return { ...rest, max_completion_tokens: request.max_completion_tokens ?? max_tokens };
}

function asksForMaxCompletionTokens(error: unknown): boolean {
  const { status, message } = error as { status?: unknown; message?: unknown };
  return status === 400 && /max_completion_tokens/.test(String(message ?? ''));
}
