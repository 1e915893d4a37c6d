import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { StreamChunk } from './stream-chunk.js';
import type { FailureClass as ConfiguredFailureClass } from '../config/schema.js';
import type { CancelSignal } from './cancellation.js';
import type { LatencySnapshot } from './latency.js';

export type { CancelSignal } from './cancellation.js';

export type { LatencyFigures, LatencySnapshot } from './latency.js';

/**
 * What the engine does with a failure: retry the same provider (`retryable`), fail over without
 * retrying (`provider-only`), surface at once (`fatal`), or, for an answer that broke the output
 * contract, one repair attempt on the same provider and then fail over (`invalid-output`).
 */
export type FailureClass = ConfiguredFailureClass | 'invalid-output';

/**
 * A chat-completion request without `model` (each provider uses its own) and without `stream`
 * (chosen by calling `complete` or `stream`).
 */
export type CompletionRequest = Omit<ChatCompletionCreateParams, 'model' | 'stream' | 'stream_options'> & {
  stream_options?: ChatCompletionCreateParams['stream_options'];
};

/** Finer than the class: what actually went wrong, for hints, reports and tests. */
export type FailureKind =
  | 'connection' // refused, reset, DNS, TLS
  | 'timeout' // whole call, first token or idle stream
  | 'rate-limit' // 429
  | 'server' // 5xx
  | 'malformed' // a 200 that is not a valid completion
  | 'auth' // 401, 403
  | 'quota' // out of credit or over a spend limit (402, OpenAI's 429 insufficient_quota): billing, not a wait
  | 'not-found' // 404 on the model or base URL
  | 'context-length' // a 400 saying the prompt is too long for this model
  | 'bad-request' // 400, 413, 422 and other 4xx
  | 'content-filter' // the provider's content filter rejected the prompt (Azure's content_filter, OpenRouter's moderation)
  | 'invalid-output' // an answer that broke the output contract (JSON Schema or a validate function)
  | 'aborted'; // the caller aborted

export type BreakerState = 'closed' | 'open' | 'half-open';

/** One classified failure of one attempt. */
export interface AttemptError {
  readonly class: FailureClass;
  readonly kind: FailureKind;
  readonly status?: number;
  /** The provider's message, with no secret in it. */
  readonly message: string;
  /** Parsed Retry-After, when the provider sent one. */
  readonly retryAfterMs?: number;
  /** Which timeout fired, for `kind: 'timeout'`. */
  readonly timeout?: 'call' | 'first-token' | 'idle';
  /**
   * The provider's own `type`, `code` and `param` of a request it rejected (400, 422...), so a
   * gateway can hand its client the same error the provider gave.
   */
  readonly rejection?: ProviderRejection;
}

/** The OpenAI error fields of a provider's rejection of a request. */
export interface ProviderRejection {
  /** The provider's whole message (`AttemptError.message` is cut short for reports), when it gave one. */
  readonly message?: string;
  readonly type: string | null;
  readonly code: string | null;
  readonly param: string | null;
}

/** One call to one provider, as recorded on every result and on AllProvidersFailed. */
export interface Attempt {
  readonly provider: string;
  /** `cancelled`: a call that lost a hedge race and was aborted (neither a success nor a failure). */
  readonly outcome: 'success' | 'failure' | 'skipped' | 'cancelled';
  readonly status?: number;
  /** Set when the outcome is `failure`. */
  readonly error?: AttemptError;
  /** Why a provider was skipped without a call (its breaker was open, ...), or why a call was cancelled. */
  readonly reason?: string;
  /** The call was a hedge: the same request sent to the next provider while the first was slow. */
  readonly hedge?: true;
  readonly ms: number;
}

/** A direct check's call: never hedged, so never cancelled. */
export type CheckAttempt = Attempt & { readonly outcome: Exclude<Attempt['outcome'], 'cancelled'> };

/** Which call of a hedged request answered: the one first sent, or the hedge. */
export type HedgeWinner = 'original' | 'hedge';

/** What `complete` resolves to: the provider's completion plus who answered and how. */
export type CompletionResult = ChatCompletion & {
  /** Name of the provider that answered. */
  readonly provider: string;
  readonly model: string;
  readonly attempts: readonly Attempt[];
  /** Set when the request was hedged (sent to a second provider while the first was slow). */
  readonly hedged?: true;
  /** For a hedged request: which call answered. */
  readonly wonBy?: HedgeWinner;
};

export type { ChatCompletion, ChatCompletionChunk };

export interface ProviderStats {
  readonly requests: number;
  readonly successes: number;
  readonly failures: number;
  readonly consecutiveFailures: number;
  readonly lastLatencyMs?: number;
  readonly lastError?: AttemptError;
  /** Clock time of the last attempt, success or failure. */
  readonly lastAttemptAt?: number;
}

export interface ProviderState {
  readonly name: string;
  readonly model: string;
  readonly breaker: BreakerState;
  /** For an open breaker: clock time at which it admits a half-open trial. */
  readonly retryAt?: number;
  readonly stats: ProviderStats;
  /**
   * Set while the provider is slow (p90 time to first token over `slowMs`): a health flag
   * beside the breaker, which stays closed, with the figure that made it so.
   */
  readonly degraded?: SlowFigure;
  /** Its recent latency (absent before its first sample). */
  readonly latency?: LatencySnapshot;
}

/** Why a provider is degraded: its p90 time to first token against its `slowMs`. */
export interface SlowFigure {
  readonly p90Ms: number;
  readonly slowMs: number;
}

export interface EngineEventMap {
  /** A call to a provider is about to start. */
  attempt: { provider: string; attempt: number; requestId: number; /** This call is a hedge. */ hedge?: true };
  /** The first call had no first token by the hedge point: the same request goes to `to` as well. */
  hedge: { from: string; to: string; requestId: number; afterMs: number };
  /** A call failed; `error` says how and what class. */
  failure: { provider: string; attempt: number; requestId: number; error: AttemptError; ms: number };
  /** The same provider will be called again after `delayMs`. */
  retry: { provider: string; attempt: number; requestId: number; delayMs: number; error: AttemptError };
  /** The request moves from one provider to the next. */
  failover: { from: string; to: string; requestId: number; reason: string };
  /** A provider's breaker changed state. */
  breaker: { provider: string; from: BreakerState; to: BreakerState; retryAt?: number; /** Learned from another instance. */ remote?: boolean };
  /** A provider whose breaker was open is closed again (it answered a trial). */
  recovered: { provider: string; downForMs: number };
  /** Every provider failed or was skipped for one request, `ms` after it started. */
  exhausted: { requestId: number; attempts: readonly Attempt[]; ms: number };
  /** A stream failed after its first token and starts over on another provider: discard partial output. */
  restart: { from: string; to: string; requestId: number; error: AttemptError };
  /** The shared health store (fleet mode) became unreachable, or is back. */
  shared: { available: boolean; detail: string };
  /**
   * A provider's latency health changed: `degraded` (p90 time to first token over `slowMs`, with
   * the figure) or healthy again (`p90Ms` undefined when its samples aged out of the window).
   */
  degraded: { provider: string; degraded: boolean; p90Ms: number | undefined; slowMs: number };
  /**
   * A request ended without an answer and without trying every provider: the request itself was
   * rejected (400, 413, 422), the caller aborted, a stream broke with `midStream: fail`, or the
   * consumer stopped reading a stream before its end.
   */
  failed: { requestId: number; provider: string; error: AttemptError; attempts: readonly Attempt[]; ms: number };
  /**
   * A request was answered. `usage` when the provider reported it; `firstTokenMs` (streams) is
   * the time from the request's start to the first content the caller received.
   */
  success: {
    provider: string;
    requestId: number;
    ms: number;
    attempts: readonly Attempt[];
    usage?: TokenUsage;
    firstTokenMs?: number;
  };
}

/** Tokens a provider reported for one answer. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export type EngineEventName = keyof EngineEventMap;
export type EngineEvent = { [K in EngineEventName]: { type: K; at: number } & EngineEventMap[K] }[EngineEventName];

export interface CallOptions {
  /** Aborting it stops the request at once; it is never failed over. An AbortSignal, or a Cancellation. */
  readonly signal?: CancelSignal;
  /** What a valid answer must satisfy, for this request (instead of the config's `output`). */
  readonly output?: OutputContract;
  /** Only these providers, in this order, for this request (e.g. a gateway's model alias). */
  readonly providers?: readonly string[];
  /**
   * `false`: never hedge this request (never send it to two providers at once). Mark every
   * request that is not safe to run twice this way, e.g. the follow-up after the caller executed
   * a model's tool call.
   */
  readonly hedge?: boolean;
}

/**
 * An output contract: the same check whichever provider answered. An answer that breaks it gets
 * one repair attempt on the same provider (the problem sent back to the model), then failover.
 */
export interface OutputContract {
  /** A JSON Schema the answer's content, parsed as JSON, must match. */
  readonly schema?: Record<string, unknown>;
  /** Returns a description of what is wrong, or undefined for a valid answer. */
  readonly validate?: (content: string, completion: ChatCompletion) => string | undefined | Promise<string | undefined>;
  /** Repair attempts on the same provider before failing over (default 1). */
  readonly repairAttempts?: number;
  /** Whether an invalid answer counts against the breaker (default false: a model that cannot follow a schema is not down). */
  readonly countsTowardsBreaker?: boolean;
}

export interface StreamOptions extends CallOptions {
  /** Called when a stream restarts on another provider after a mid-stream failure: discard what it sent. */
  readonly onRestart?: (event: EngineEventMap['restart']) => void;
}

/** A stream of the answering provider's chunks, unchanged, plus who is answering. */
export interface EngineStream extends AsyncIterable<ChatCompletionChunk> {
  readonly requestId: number;
  /** The provider currently streaming (undefined before the first token). */
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly attempts: readonly Attempt[];
  /** Whether the request was hedged, and (once streaming) which call answered. */
  readonly hedged: boolean;
  readonly wonBy: HedgeWinner | undefined;
  /**
   * The same stream as the provider wrote it, for a relay: each chunk's JSON text (`json`) as
   * it came, parsed only if you read `value`. Read this or the stream itself, not both. The
   * engine still checks every chunk for the end of the answer, usage and errors, but takes a
   * chunk shaped `{...}` as JSON without parsing it.
   */
  wire(): AsyncIterable<StreamChunk>;
}

/** What a direct health check of one provider does: list models (free) or a 1-token completion. */
export type CheckKind = 'models' | 'completion';

export interface Engine {
  /** A chat completion from the first provider that can give one. */
  complete(request: CompletionRequest, options?: CallOptions): Promise<CompletionResult>;
  /** A streamed chat completion, committed to a provider at its first token. */
  stream(request: CompletionRequest, options?: StreamOptions): EngineStream;
  /** Every provider's breaker state and stats, in failover order. */
  state(): ProviderState[];
  /** Subscribes to one event; returns the unsubscribe function. */
  on<K extends EngineEventName>(event: K, listener: (event: Extract<EngineEvent, { type: K }>) => void): () => void;
  /** Subscribes to every event. */
  onAny(listener: (event: EngineEvent) => void): () => void;
  /**
   * Calls one provider directly, outside failover, and feeds the outcome to its breaker
   * (the background probe and `watch` use this).
   */
  check(provider: string, kind?: CheckKind, options?: CallOptions & { readonly force?: boolean }): Promise<CheckAttempt>;
  /** Forces a provider's breaker closed with its counts cleared. */
  resetBreaker(provider: string): void;
  /** Stops the background probe. The engine can still be used. */
  close(): void;
}
