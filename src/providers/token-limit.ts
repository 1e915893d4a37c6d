import type { TokenLimitField } from '../config/presets.js';
import type { CompletionRequest } from '../engine/types.js';

/**
 * OpenAI's reasoning models reject `max_tokens` and want `max_completion_tokens`, while many
 * other providers know only the former. A provider whose vendor documents one name (its preset,
 * or `tokenLimitField`) always gets that one. Otherwise the request goes as written, and the
 * first 400 asking for `max_completion_tokens` switches the provider to it for good, with the
 * request sent again at once, so a healthy provider is never failed over a parameter name.
 * One instance per provider client, whichever transport the client uses.
 */
export class TokenLimitParameter {
  private field: TokenLimitField | undefined;

  constructor(fixed?: TokenLimitField) {
    this.field = fixed;
  }

  /** Calls `call` with the request as this provider wants it, renaming and resending once if told to. */
  async send<T>(request: CompletionRequest, call: (request: CompletionRequest) => Promise<T>): Promise<T> {
    if (this.field !== undefined) return call(renamed(request, this.field));
    try {
      return await call(request);
    } catch (error) {
      if (request.max_tokens == null || !asksForMaxCompletionTokens(error)) throw error;
      this.field = 'max_completion_tokens';
      return call(renamed(request, this.field));
    }
  }
}

/** The request with its token limit under `field` only (the caller's value under that name wins if it gave both). */
function renamed(request: CompletionRequest, field: TokenLimitField): CompletionRequest {
  const other: TokenLimitField = field === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
  if (request[other] == null) return request;
  const { [other]: limit, ...rest } = request;
  return { ...rest, [field]: request[field] ?? limit } as CompletionRequest;
}

function asksForMaxCompletionTokens(error: unknown): boolean {
  const { status, message } = error as { status?: unknown; message?: unknown };
  return status === 400 && /max_completion_tokens/.test(String(message ?? ''));
}
