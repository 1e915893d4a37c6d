import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ProviderConfig } from '../config/schema.js';
import type { CompletionRequest } from '../engine/types.js';
import { assertChatCompletion } from './validate.js';

/** What the engine needs from one provider: three calls, each cancellable, none retried. */
export interface ProviderClient {
  readonly name: string;
  readonly model: string;
  readonly baseURL: string;
  complete(request: CompletionRequest, signal: AbortSignal): Promise<ChatCompletion>;
  /** Resolves once the response headers arrived; chunks follow through iteration. */
  stream(request: CompletionRequest, signal: AbortSignal): Promise<AsyncIterable<ChatCompletionChunk>>;
  /** Model ids the provider lists (`GET /models`; costs nothing). */
  listModels(signal: AbortSignal): Promise<string[]>;
}

export interface ProviderClientOptions {
  /** A fetch to use instead of the global one (tests, fault injection). */
  readonly fetch?: typeof fetch;
}

// The engine owns every timer. The SDK's own timeout stops counting once headers arrive, so it is
// set out of the way rather than relied on.
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** An OpenAI-compatible endpoint through the official SDK, with the SDK's retries off. */
export function createProviderClient(provider: ProviderConfig, options: ProviderClientOptions = {}): ProviderClient {
  if (provider.baseURL === undefined) throw new Error(`provider ${provider.name} has no baseURL`);
  const client = new OpenAI({
    baseURL: provider.baseURL,
    // Local servers (ollama) take no key, but the SDK insists on one.
    apiKey: provider.apiKey ?? 'no-key',
    // Explicit nulls: otherwise the SDK reads OPENAI_ORG_ID / OPENAI_PROJECT_ID from the
    // environment and would send them to every provider in the list.
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
    ...(provider.headers ? { defaultHeaders: provider.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const model = provider.model;
  const tokenLimit = new TokenLimitParameter();
  return {
    name: provider.name,
    model,
    baseURL: provider.baseURL,
    async complete(request, signal) {
      const body = await tokenLimit.send(request, (adapted) =>
        client.chat.completions.create({ ...adapted, model, stream: false }, { signal }),
      );
      return assertChatCompletion(body);
    },
    async stream(request, signal) {
      return tokenLimit.send(request, (adapted) => client.chat.completions.create({ ...adapted, model, stream: true }, { signal }));
    },
    async listModels(signal) {
      const ids: string[] = [];
      // One page: some providers list hundreds, and a health check must stay cheap.
      const page = await client.models.list({ signal });
      for (const entry of page.data) ids.push(entry.id);
      return ids;
    },
  };
}

/**
 * One request goes to every provider in the list, but OpenAI's reasoning models reject
 * `max_tokens` and want `max_completion_tokens`, while many other providers know only the
 * former. The first such 400 from a provider switches it to the other name for good, and the
 * request is sent again at once, so a healthy provider is never failed over a parameter name.
 */
class TokenLimitParameter {
  private renamed = false;

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
