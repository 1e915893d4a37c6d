/**
 * What a provider said went wrong, read from whichever shape it used. OpenAI-compatible vendors
 * agree on `{"error": {...}}` only roughly: Gemini sends a list of them, Anthropic wraps one in
 * `{"type": "error"}`, Mistral and vLLM put the fields at the top level, FastAPI servers say
 * `{"detail": ...}`, Ollama's native API and some proxies send `{"error": "a string"}`. Both
 * transports and `classify()` read errors through this module only, so they cannot disagree.
 */
export interface ProviderErrorDetail {
  /** The provider's own words, when it gave any. */
  readonly message?: string;
  /** OpenAI's `code` (`insufficient_quota`), OpenRouter's and Gemini's HTTP-like number, Azure's `"429"`. */
  readonly code?: string | number;
  /** OpenAI's and Anthropic's `type` (`overloaded_error`, `invalid_request_error`). */
  readonly type?: string;
  /** Google's RPC status name (`RESOURCE_EXHAUSTED`, `UNAVAILABLE`). */
  readonly rpcStatus?: string;
  /**
   * Codes nested deeper that still decide the class: Azure's `innererror.code`, Anthropic's
   * `details.error_code`, Google's `ErrorInfo.reason` (`API_KEY_INVALID`).
   */
  readonly innerCodes: readonly string[];
  /** Google's `RetryInfo.retryDelay` (`"37s"`), in ms. */
  readonly retryDelayMs?: number;
  /** OpenRouter's moderation metadata says the input was flagged. */
  readonly flagged: boolean;
  /**
   * The error object in OpenAI's shape (the vendor's own fields kept, `message` filled in), as
   * an `APIError` carries it so that clients and the gateway read it the usual way.
   */
  readonly object: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/**
 * The error in a whole response body, or undefined when the body holds none (a completion, a
 * page of HTML, an empty body). `body` is the parsed JSON or the text as received.
 */
export function readErrorBody(body: unknown): ProviderErrorDetail | undefined {
  const object = errorObjectIn(body);
  return object === undefined ? undefined : readErrorObject(object);
}

/**
 * Reads one error object (what sits under `error`, or a bare string). Never undefined: an
 * object with none of the known fields still says something through its JSON.
 */
export function readErrorObject(error: unknown): ProviderErrorDetail {
  const object: Json = isObject(error) ? { ...error } : { message: typeof error === 'string' ? error : JSON.stringify(error) };
  const message = messageOf(object);
  if (message !== undefined && typeof object.message !== 'string') object.message = message;
  const inner = isObject(object.innererror) ? object.innererror : isObject(object.inner_error) ? object.inner_error : undefined;
  const details = isObject(object.details) ? object.details : undefined;
  const reasons = Array.isArray(object.details) ? object.details.map((entry) => (isObject(entry) ? entry.reason : undefined)) : [];
  const innerCodes = [inner?.code, details?.error_code, ...reasons].filter((code): code is string => typeof code === 'string');
  const code = typeof object.code === 'string' || typeof object.code === 'number' ? object.code : undefined;
  const metadata = isObject(object.metadata) ? object.metadata : undefined;
  const retryDelayMs = retryDelayOf(object.details);
  return {
    ...(message !== undefined ? { message } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(typeof object.type === 'string' ? { type: object.type } : {}),
    ...(typeof object.status === 'string' ? { rpcStatus: object.status } : {}),
    innerCodes,
    ...(retryDelayMs !== undefined ? { retryDelayMs } : {}),
    flagged: metadata !== undefined && 'flagged_input' in metadata,
    object,
  };
}

/**
 * The HTTP status an error object stands for when no HTTP status says it (an error event in a
 * stream, an error in a 200 body): its own HTTP-like code, else Google's RPC status name.
 */
export function statusOfErrorObject(detail: ProviderErrorDetail): number | undefined {
  const code = typeof detail.code === 'number' ? detail.code : /^\d{3}$/.test(detail.code ?? '') ? Number(detail.code) : undefined;
  if (code !== undefined && code >= 100 && code <= 599) return code;
  return detail.rpcStatus === undefined ? undefined : RPC_STATUS[detail.rpcStatus];
}

/** google.rpc.Code names as Google's HTTP mapping gives them. */
const RPC_STATUS: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ABORTED: 409,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNKNOWN: 500,
  DATA_LOSS: 500,
  NOT_IMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** Where a body keeps its error object; undefined when it has none. */
function errorObjectIn(body: unknown): unknown {
  if (Array.isArray(body)) {
    // Gemini's OpenAI-compatible endpoint answers with a list of `{"error": {...}}`.
    const first = body.find((entry) => isObject(entry) && Boolean(entry.error)) as Json | undefined;
    return first?.error;
  }
  if (!isObject(body)) return undefined;
  // Falsy is no error: some servers send `"error": null` (or "") beside a good answer, and the SDK's streams skip those too.
  if (body.error) return body.error;
  // Mistral and vLLM: `{"object": "error", "message": ..., "type": ..., "code": ...}`.
  if (body.object === 'error' || (typeof body.message === 'string' && !('choices' in body) && !('data' in body))) return body;
  // FastAPI servers (Mistral's 422s among them): `{"detail": "..."}` or `{"detail": [{"msg": ...}]}`.
  if (body.detail !== undefined && !('choices' in body)) return { message: detailText(body.detail), detail: body.detail };
  return undefined;
}

function messageOf(object: Json): string | undefined {
  const message = object.message ?? object.error_message ?? object.msg ?? object.detail;
  if (typeof message === 'string') return message;
  if (message !== undefined && message !== null) return detailText(message);
  return undefined;
}

function detailText(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map((entry) => (isObject(entry) && typeof entry.msg === 'string' ? entry.msg : JSON.stringify(entry))).join('; ');
  return JSON.stringify(detail);
}

/** Google's `details: [{"@type": ".../google.rpc.RetryInfo", "retryDelay": "37s"}]`. */
function retryDelayOf(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const entry of details) {
    if (!isObject(entry) || typeof entry.retryDelay !== 'string') continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(entry.retryDelay.trim());
    if (match) return Math.ceil(Number(match[1]) * 1000);
  }
  return undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
