import type { OutgoingHttpHeaders } from 'node:http';
import type { ProviderConfig } from '../config/schema.js';
import { connectionFor } from '../net/connection.js';
import { Endpoint } from './http-endpoint.js';
import type { ProviderResponse } from './http-response.js';
import type { ProviderClient } from './openai-compatible.js';
import { modelIdsOf } from './model-list.js';
import { ChunkReader } from './chunk-reader.js';
import { RequestShape } from './request-shape.js';
import { RedirectRefusedError } from './redirect.js';
import { statusError } from './status-error.js';
import { assertChatCompletion } from './validate.js';

/**
 * An OpenAI-compatible endpoint over `node:http` with a keep-alive agent: the same requests,
 * answers and error classes as the SDK adapter (`classify()` cannot tell them apart), at a
 * fraction of the CPU and garbage per call, since there is no fetch and no web stream.
 */
export function createHttpProviderClient(provider: ProviderConfig): ProviderClient {
  if (provider.baseURL === undefined) throw new Error(`provider ${provider.name} has no baseURL`);
  const endpoint = new Endpoint(provider.baseURL, requestHeaders(provider), connectionFor({ name: provider.name, baseURL: provider.baseURL, ca: provider.ca }));
  const model = provider.model;
  const shape = new RequestShape(provider);
  return {
    name: provider.name,
    model,
    baseURL: provider.baseURL,
    async complete(request, signal) {
      const body = await shape.send(request, async (adapted) => {
        const response = await answered(endpoint.request('POST', '/chat/completions', JSON.stringify({ ...adapted, model, stream: false }), signal), endpoint.urlOf('/chat/completions'));
        return parseBody(response, await response.text());
      });
      return assertChatCompletion(body);
    },
    stream(request, signal) {
      return shape.send(request, async (adapted) => {
        const response = await answered(endpoint.request('POST', '/chat/completions', JSON.stringify({ ...adapted, model, stream: true }), signal), endpoint.urlOf('/chat/completions'));
        return new ChunkReader(response);
      });
    },
    async listModels(signal) {
      const response = await answered(endpoint.request('GET', '/models', undefined, signal), endpoint.urlOf('/models'));
      return modelIdsOf(parseBody(response, await response.text()));
    },
  };
}

/** What the SDK sends besides its telemetry headers; the provider's own headers win, as `defaultHeaders` do. */
function requestHeaders(provider: ProviderConfig): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    accept: 'application/json',
    'user-agent': 'understudy',
    // Local servers (ollama) take no key; the SDK sends this placeholder, so this does too.
    authorization: `Bearer ${provider.apiKey ?? 'no-key'}`,
  };
  for (const [name, value] of Object.entries(provider.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

/**
 * Resolves to the response when it is a 2xx; otherwise throws what the SDK throws for it
 * (`APIError.generate`: BadRequestError, RateLimitError with its headers, ...). A redirect is
 * never followed (RedirectRefusedError says why).
 */
async function answered(pending: Promise<ProviderResponse>, callURL: string): Promise<ProviderResponse> {
  const response = await pending;
  if (response.status >= 200 && response.status < 300) return response;
  if (response.status >= 300 && response.status < 400) {
    response.destroy();
    throw new RedirectRefusedError(response.status, response.header('location'), callURL);
  }
  // As the SDK: a body that could not be read still makes the status error, with the read error's message.
  const text = await response.text().catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  const json = safeJson(text);
  throw statusError(response.status, json, json === undefined ? text : undefined, response.headers());
}

/** A 2xx body as the SDK reads it: JSON by content type (SyntaxError when broken), else text. */
function parseBody(response: ProviderResponse, text: string): unknown {
  if (response.status === 204) return null;
  const mediaType = response.header('content-type')?.split(';')[0]?.trim();
  if (mediaType?.includes('application/json') || mediaType?.endsWith('+json')) {
    return response.header('content-length') === '0' ? undefined : JSON.parse(text);
  }
  return text;
}

function safeJson(text: string): object | undefined {
  try {
    return JSON.parse(text) as object;
  } catch {
    return undefined;
  }
}
