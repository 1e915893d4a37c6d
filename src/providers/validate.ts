import type { ChatCompletion } from 'openai/resources/chat/completions';
import { MalformedResponseError } from '../engine/classify.js';
import { readErrorBody } from './error-body.js';
import { answerError } from './status-error.js';

/**
 * A 200 is only an answer when it looks like one: the SDK hands back an HTML error page as a
 * string and a proxy's JSON as whatever it was, and neither may be mistaken for a completion.
 * A 200 carrying an error object (OpenRouter, once a model has started) is that error, classed
 * by its own code as a stream's error event is.
 */
export function assertChatCompletion(body: unknown): ChatCompletion {
  if (typeof body === 'string') {
    const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1];
    throw new MalformedResponseError(title ? `HTML page "${title.trim()}"` : `text instead of JSON: ${body.slice(0, 80)}`);
  }
  const error = readErrorBody(body);
  if (error) throw answerError(error.object);
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { choices?: unknown }).choices)) {
    throw new MalformedResponseError('JSON without a choices array');
  }
  return body as ChatCompletion;
}
