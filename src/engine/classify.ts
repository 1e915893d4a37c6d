import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/error';
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
  'not-found': 'provider-only',
  'context-length': 'fatal',
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
  if (error instanceof APIError && typeof error.status === 'number') return classifyStatus(error, error.status);
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

function classifyStatus(error: APIError, status: number): AttemptError {
  const message = providerMessage(error);
  if (status === 429) return { ...make('rate-limit', message, status), ...retryAfterOf(error) };
  if (status === 401 || status === 403) return make('auth', message, status);
  if (status === 404) return make('not-found', message, status);
  if (status === 408) return make('timeout', message, status);
  if (status >= 500) return { ...make('server', message, status), ...retryAfterOf(error) };
  if (status === 400 && CONTEXT_LENGTH.test(`${error.code ?? ''} ${message}`)) {
    return { ...make('context-length', message, status), ...rejectionOf(error) };
  }
  if (status === 409) return make('server', message, status);
  return { ...make('bad-request', message, status), ...rejectionOf(error) };
}

/** The provider's error fields besides the message, when its body had any. */
function rejectionOf(error: APIError): { rejection?: ProviderRejection } {
  const field = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);
  const rejection = { type: field(error.type), code: field(error.code), param: field(error.param) };
  return rejection.type === null && rejection.code === null && rejection.param === null ? {} : { rejection };
}

function make(kind: FailureKind, message: string, status?: number): AttemptError {
  return status === undefined ? { class: CLASS_OF_KIND[kind], kind, message } : { class: CLASS_OF_KIND[kind], kind, message, status };
}

function retryAfterOf(error: APIError): { retryAfterMs?: number } {
  const retryAfterMs = parseRetryAfter(error.headers);
  return retryAfterMs === undefined ? {} : { retryAfterMs };
}

/** The provider's own words without the SDK's "503 " prefix; an HTML page reduced to its title. */
function providerMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | string | undefined;
  if (body && typeof body === 'object' && typeof body.message === 'string') return truncate(body.message);
  const text = error.message.replace(/^\d{3}\s*/, '');
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  if (title) return truncate(title.trim());
  return truncate(text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() || `status ${error.status}`);
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
