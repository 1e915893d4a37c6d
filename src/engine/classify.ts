import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/error';
import { readErrorObject, statusOfErrorObject, type ProviderErrorDetail } from '../providers/error-body.js';
import type { AttemptError, FailureClass, FailureKind, ProviderRejection } from './types.js';
import { parseRetryAfter } from './retry-after.js';

/** Per-status overrides of the failure class, from config (`classify: { "404": "retryable" }`). */
export type ClassOverrides = Readonly<Record<string, FailureClass>>;

/** A 200 whose body is not a chat completion (an HTML error page, a proxy's JSON, ...). */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

/** A completion that broke the output contract; carries the answer so a repair can quote it. */
export class InvalidOutputError extends Error {
  override readonly name = 'InvalidOutputError';
  constructor(
    /** What is wrong with it, as the validator said. */
    readonly problem: string,
    /** The answer's content. */
    readonly content: string,
  ) {
    super(`the answer broke the output contract: ${problem}`);
  }
}

const CLASS_OF_KIND: Record<FailureKind, FailureClass> = {
  connection: 'retryable',
  timeout: 'retryable',
  'rate-limit': 'retryable',
  server: 'retryable',
  malformed: 'retryable',
  auth: 'provider-only',
  quota: 'provider-only',
  'not-found': 'provider-only',
  'context-length': 'fatal',
  'content-filter': 'fatal',
  'bad-request': 'fatal',
  'invalid-output': 'invalid-output',
  aborted: 'fatal',
};

// OpenAI's code, and the wordings other OpenAI-compatible providers use for the same 400.
const CONTEXT_LENGTH =
  /context_length_exceeded|context length|context window|maximum context|too many tokens|prompt is too long|input is too long|exceeds? the (model'?s )?(max|maximum)/i;

/**
 * Sorts an error from one provider call into DESIGN.md's failure classes: retry the same
 * provider, fail over to the next, or surface at once. Timeouts and caller aborts are decided by
 * the caller, which knows which timer fired; this sees only what the provider did.
 */
export function classify(error: unknown, overrides: ClassOverrides = {}): AttemptError {
  const base = classifyByShape(error);
  const override = base.status === undefined ? undefined : overrides[String(base.status)];
  return override && base.kind !== 'aborted' ? { ...base, class: override } : base;
}

function classifyByShape(error: unknown): AttemptError {
  if (error instanceof APIUserAbortError) return make('aborted', 'the request was aborted');
  if (error instanceof APIConnectionTimeoutError) return make('timeout', 'the provider did not answer in time');
  if (error instanceof APIConnectionError) return make('connection', describeConnectionError(error));
  if (error instanceof APIError) {
    if (typeof error.status === 'number') return classifyStatus(error.status, readErrorObject(error.error ?? { message: providerText(error) }), error.headers);
    // No status: an error object where an answer should be (a stream's error event, a 200
    // body that is an error). Its own code says what it is; without one it is the provider breaking.
    if (error.error !== undefined && error.error !== null) return classifyErrorObject(readErrorObject(error.error), error.headers);
  }
  if (error instanceof InvalidOutputError) return make('invalid-output', error.message);
  if (error instanceof MalformedResponseError || error instanceof SyntaxError) {
    return make('malformed', `not a valid completion: ${error.message}`);
  }
  if (isAbortError(error)) return make('aborted', 'the request was aborted');
  const code = networkCode(error);
  if (code) return make('connection', describeNetworkCode(code));
  // Anything else thrown while reading a provider's answer (a stream cut, a body that did not
  // parse) is the provider's doing, so it is retried and failed over rather than surfaced.
  return make('malformed', error instanceof Error ? error.message : String(error));
}

// OpenAI's billing codes share 429 with its rate limits (error.type stays insufficient_quota);
// Anthropic marks its spend limit in details.error_code; Gemini's free tier missing in a region
// is a FAILED_PRECONDITION that asks for billing.
const QUOTA_CODES = new Set([
  'insufficient_quota',
  'credit_balance_exhausted',
  'organization_spend_limit_exceeded',
  'project_spend_limit_exceeded',
  'organization_usage_limit_exceeded',
  'billing_error',
  'enforced_spend_limit_reached',
  'payment_required',
]);

// The type names vendors use, for an error object that carries no HTTP-like status.
const STATUS_OF_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  invalid_api_key: 401,
  permission_error: 403,
  not_found_error: 404,
  model_not_found: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  tokens: 429,
  requests: 429,
  api_error: 500,
  server_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

function classifyErrorObject(detail: ProviderErrorDetail, headers: Headers | undefined): AttemptError {
  const named = [detail.code, detail.type].find((name): name is string => typeof name === 'string' && name in STATUS_OF_TYPE);
  const status = statusOfErrorObject(detail) ?? (named === undefined ? undefined : STATUS_OF_TYPE[named]);
  if (status !== undefined && status !== 200) return classifyStatus(status, detail, headers);
  if (isQuota(detail)) return make('quota', messageOf(detail, 'out of credit'));
  return make('server', messageOf(detail, 'the provider sent an error instead of an answer'));
}

function classifyStatus(status: number, detail: ProviderErrorDetail, headers: Headers | undefined): AttemptError {
  const message = messageOf(detail, `status ${status}`);
  if (status === 402 || isQuota(detail) || (status === 400 && detail.rpcStatus === 'FAILED_PRECONDITION')) return make('quota', message, status);
  if (isContentFilter(status, detail)) return { ...make('content-filter', message, status), ...rejectionOf(detail) };
  if (status === 429) return { ...make('rate-limit', message, status), ...retryAfterOf(headers, detail) };
  // Together answers a prompt too long for the model with a 403.
  if ((status === 400 || status === 403) && CONTEXT_LENGTH.test(`${detail.code ?? ''} ${message}`)) {
    return { ...make('context-length', message, status), ...rejectionOf(detail) };
  }
  // Google answers a wrong key with 400 INVALID_ARGUMENT; its ErrorInfo reason says what it is.
  if (status === 401 || status === 403 || detail.innerCodes.includes('API_KEY_INVALID')) return make('auth', message, status);
  if (status === 404) return make('not-found', message, status);
  if (status === 408) return make('timeout', message, status);
  // 498: Groq's flex tier is out of capacity; 5xx and Anthropic's 529 overloaded.
  if (status >= 500 || status === 498) return { ...make('server', message, status), ...retryAfterOf(headers, detail) };
  if (status === 409) return make('server', message, status);
  return { ...make('bad-request', message, status), ...rejectionOf(detail) };
}

// Enough for any real validation message; a body that echoes a whole prompt back is cut here.
const MAX_REJECTION_MESSAGE = 4_000;

/** The provider's own error fields, when its body had any (the gateway passes them on, the message whole). */
function rejectionOf(detail: ProviderErrorDetail): { rejection?: ProviderRejection } {
  const field = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);
  // An HTML page is no message to pass on: the short form (its title) stands in for it.
  const message = detail.message === undefined || /<(html|head|body|title)\b/i.test(detail.message) ? undefined : detail.message.slice(0, MAX_REJECTION_MESSAGE);
  const fields = { type: field(detail.type), code: field(detail.code), param: field(detail.object['param']) };
  if (message === undefined && fields.type === null && fields.code === null && fields.param === null) return {};
  return { rejection: message === undefined ? fields : { message, ...fields } };
}

function isQuota(detail: ProviderErrorDetail): boolean {
  return [detail.code, detail.type, ...detail.innerCodes].some((code) => typeof code === 'string' && QUOTA_CODES.has(code));
}

/** Azure's content filter (400 `content_filter`), OpenRouter's moderation (403 with `flagged_input`). */
function isContentFilter(status: number, detail: ProviderErrorDetail): boolean {
  if (status < 400 || status >= 500) return false;
  return detail.code === 'content_filter' || detail.innerCodes.includes('ResponsibleAIPolicyViolation') || (status === 403 && detail.flagged);
}

function make(kind: FailureKind, message: string, status?: number): AttemptError {
  return status === undefined ? { class: CLASS_OF_KIND[kind], kind, message } : { class: CLASS_OF_KIND[kind], kind, message, status };
}

function retryAfterOf(headers: Headers | undefined, detail: ProviderErrorDetail): { retryAfterMs?: number } {
  const retryAfterMs = parseRetryAfter(headers) ?? detail.retryDelayMs;
  return retryAfterMs === undefined ? {} : { retryAfterMs };
}

/** The provider's own words; an HTML page reduced to its title. */
function messageOf(detail: ProviderErrorDetail, fallback: string): string {
  const text = detail.message?.trim();
  if (!text) return fallback;
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  if (title) return truncate(title.trim());
  return truncate(text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() || fallback);
}

/** An APIError's text without the SDK's "503 " prefix (the body when it was not JSON). */
function providerText(error: APIError): string {
  return error.message.replace(/^\d{3}\s*/, '').replace(/^status code \(no body\)$/, '');
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError');
}

/** The errno code somewhere in the cause chain (undici nests it). */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+|ERR_TLS_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeConnectionError(error: APIConnectionError): string {
  const code = networkCode(error);
  if (code) return describeNetworkCode(code);
  // No errno: the innermost cause says why (fetch's "bad port" for ports it will never call).
  const innermost = innermostMessage(error);
  return innermost && innermost !== error.message ? `connection error: ${innermost}` : error.message || 'connection error';
}

function innermostMessage(error: unknown): string | undefined {
  let message: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}

function describeNetworkCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DNS lookup failed (${code})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    default:
      return /CERT|TLS|SSL/.test(code) ? `TLS error (${code})` : `network error (${code})`;
  }
}

/** Exposed for hints: the errno code behind a connection failure, if any. */
export { networkCode };
