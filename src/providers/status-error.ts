import { APIError } from 'openai/error';
import { readErrorBody } from './error-body.js';

/**
 * What a non-2xx answer becomes, on both transports: the SDK's error class for its status
 * (BadRequestError, RateLimitError, ...) with its headers, carrying the provider's error object
 * whatever shape the body had (a Gemini list, a bare string, Mistral's top-level fields), so its
 * message, `code` and `param` read the same everywhere.
 */
export function statusError(status: number, body: unknown, text: string | undefined, headers: Headers): APIError {
  const detail = readErrorBody(body);
  if (detail) return APIError.generate(status, { error: detail.object }, undefined, headers);
  // No error object: the SDK keeps the text (an HTML page, a proxy's words) as the message.
  return APIError.generate(status, undefined, text ?? (body === undefined || body === null ? undefined : JSON.stringify(body)), headers);
}

/**
 * An error object where an answer should be: in a 200 body (OpenRouter, once the model has
 * started) or as an event of a stream. It has no HTTP status of its own, exactly as the SDK
 * throws a stream's error event, so `classify()` reads both from the object.
 */
export function answerError(error: unknown, headers?: Headers): APIError {
  return new APIError(undefined, error as object, undefined, headers);
}
