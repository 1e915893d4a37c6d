import { maskSecrets } from '../config/secrets.js';
import { AllProvidersFailed, RequestFailed } from '../engine/errors.js';
import type { Attempt } from '../engine/types.js';

/** OpenAI's error body, which every OpenAI client already knows how to read. */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
    /** understudy's addition on a 503: why each provider could not answer. */
    providers?: ProviderReason[];
  };
}

/** One provider's part in a request every provider failed. */
export interface ProviderReason {
  readonly provider: string;
  /** Real calls made to it (0 when it was only skipped). */
  readonly calls: number;
  /** The last thing that went wrong with it. */
  readonly reason: string;
  readonly status?: number;
  readonly kind?: string;
}

/** An answer the gateway gives instead of an engine result: status, OpenAI body, extra headers. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  get body(): OpenAIErrorBody {
    return openAIErrorBody(this.message, this.type, this.code);
  }
}

/** Builds an OpenAI-shaped error body, masked as every output is (a provider's fields pass through it too). */
export function openAIErrorBody(message: string, type: string, code: string | null = null, param: string | null = null): OpenAIErrorBody {
  const masked = (text: string | null) => (text === null ? null : maskSecrets(text));
  return { error: { message: maskSecrets(message), type: maskSecrets(type), param: masked(param), code: masked(code) } };
}

/** What the gateway answers for an error the engine threw. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: OpenAIErrorBody;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Maps an engine failure onto what an OpenAI client expects: the provider's own rejection of
 * the request passes through with its status, message, type, code and param; every provider failing is a 503
 * with `Retry-After` and each provider's reason; anything else is the gateway's 500.
 */
export function errorAnswer(error: unknown, retryAfterSeconds: () => number): ErrorAnswer {
  if (error instanceof HttpError) return { status: error.status, body: error.body, headers: error.headers };
  if (error instanceof RequestFailed) {
    const status = error.error.status ?? 400;
    // A stream the provider broke off mid-answer surfaces as RequestFailed with a retryable error.
    if (error.error.class !== 'fatal') {
      return { status: 502, body: openAIErrorBody(`${error.provider}: ${error.error.message}`, 'server_error', 'provider_failed'), headers: {} };
    }
    // The provider's own words, type, code and param: a client (or its SDK) may act on them, as it would on the provider's.
    const { message = error.error.message, type, code, param } = error.error.rejection ?? { type: null, code: null, param: null };
    return { status, body: openAIErrorBody(message, type ?? 'invalid_request_error', code, param), headers: {} };
  }
  if (error instanceof AllProvidersFailed) {
    const tooLong = contextTooLongEverywhere(error.attempts);
    if (tooLong) return { status: 400, body: openAIErrorBody(tooLong, 'invalid_request_error', 'context_length_exceeded'), headers: {} };
    const body = openAIErrorBody(error.message, 'server_error', 'all_providers_failed');
    body.error.providers = providerReasons(error.attempts);
    return { status: 503, body, headers: { 'retry-after': String(retryAfterSeconds()) } };
  }
  return { status: 500, body: openAIErrorBody('internal error in the understudy gateway', 'server_error', 'internal_error'), headers: {} };
}

/** The SSE error event that ends a stream a provider broke off after its first chunk. */
export function midStreamErrorBody(provider: string | undefined, error: unknown): OpenAIErrorBody {
  const cause = error instanceof RequestFailed ? error.error.message : error instanceof Error ? error.message : String(error);
  return openAIErrorBody(
    `${provider ?? 'the provider'} failed after the answer had started (${cause}); the answer is incomplete`,
    'server_error',
    'stream_interrupted',
  );
}

/** One entry per provider, in the order they were tried, with the last reason each gave. */
export function providerReasons(attempts: readonly Attempt[]): ProviderReason[] {
  const byProvider = new Map<string, ProviderReason>();
  for (const attempt of attempts) {
    const calls = (byProvider.get(attempt.provider)?.calls ?? 0) + (attempt.outcome === 'skipped' ? 0 : 1);
    const reason = attempt.outcome === 'skipped' ? `skipped: ${attempt.reason ?? 'breaker open'}` : maskSecrets(attempt.error?.message ?? attempt.outcome);
    byProvider.set(attempt.provider, {
      provider: attempt.provider,
      calls,
      reason,
      ...(attempt.error?.status === undefined ? {} : { status: attempt.error.status }),
      ...(attempt.error?.kind === undefined ? {} : { kind: attempt.error.kind }),
    });
  }
  return [...byProvider.values()];
}

/**
 * When every call failed because the prompt is too long (and the rest were skipped for a
 * too-small window), the request is the problem, not the providers: a 400, not a 503 to retry.
 */
function contextTooLongEverywhere(attempts: readonly Attempt[]): string | undefined {
  const calls = attempts.filter((attempt) => attempt.outcome === 'failure');
  if (calls.length === 0 || !calls.every((attempt) => attempt.error?.kind === 'context-length')) return undefined;
  return calls.at(-1)!.error!.message;
}
