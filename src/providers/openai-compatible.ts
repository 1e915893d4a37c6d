import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ProviderConfig } from '../config/schema.js';
import { toAbortSignal, type CancelSignal } from '../engine/cancellation.js';
import { StreamChunk } from '../engine/stream-chunk.js';
import type { CompletionRequest } from '../engine/types.js';
import { connectionFor } from '../net/connection.js';
import { createHttpProviderClient } from './http-client.js';
import { RequestShape } from './request-shape.js';
import { modelIdsOf } from './model-list.js';
import { statusError } from './status-error.js';
import { providerFetch, unwrapRefusedRedirect } from './sdk-fetch.js';
import { assertChatCompletion } from './validate.js';

/** What the engine needs from one provider: three calls, each cancellable, none retried. */
export interface ProviderClient {
  readonly name: string;
  readonly model: string;
  readonly baseURL: string;
  complete(request: CompletionRequest, signal: CancelSignal): Promise<ChatCompletion>;
  /** Resolves once the response headers arrived; chunks follow through iteration. */
  stream(request: CompletionRequest, signal: CancelSignal): Promise<AsyncIterable<StreamChunk>>;
  /** Model ids the provider lists (`GET /models`; costs nothing). ModelListShapeError when it lists nothing readable. */
  listModels(signal: CancelSignal): Promise<string[]>;
}

/**
 * How a client reaches its provider. `sdk`: the official openai SDK over fetch. `http`: a lean
 * `node:http` client with a keep-alive agent (http-client.ts) that sends the same requests and
 * throws the same error classes, for a fraction of the CPU and garbage per call.
 */
export type ProviderTransport = 'sdk' | 'http';

/** The transport a client gets when none is asked for and no fetch is injected. */
export const DEFAULT_TRANSPORT: ProviderTransport = 'sdk';

export interface ProviderClientOptions {
  /** A fetch to use instead of the global one (tests, fault injection); implies the `sdk` transport. */
  readonly fetch?: typeof fetch;
  /** Default `DEFAULT_TRANSPORT`; ignored when `fetch` is given, since only the SDK calls a fetch. */
  readonly transport?: ProviderTransport;
}

// The engine owns every timer. The SDK's own timeout stops counting once headers arrive, so it is
// set out of the way rather than relied on.
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** An OpenAI-compatible endpoint over the chosen transport (see `ProviderTransport`), never retrying on its own. */
export function createProviderClient(provider: ProviderConfig, options: ProviderClientOptions = {}): ProviderClient {
  if (options.fetch === undefined && (options.transport ?? DEFAULT_TRANSPORT) === 'http') return createHttpProviderClient(provider);
  return createSdkProviderClient(provider, options.fetch);
}

/** An OpenAI-compatible endpoint through the official SDK, with the SDK's retries off. */
function createSdkProviderClient(provider: ProviderConfig, fetchImpl: typeof fetch | undefined): ProviderClient {
  if (provider.baseURL === undefined) throw new Error(`provider ${provider.name} has no baseURL`);
  const baseURL = provider.baseURL;
  const fetchForProvider = providerFetch(connectionFor({ name: provider.name, baseURL, ca: provider.ca }), fetchImpl);
  let client: OpenAI | undefined;
  // Built at the first call: loading the SDK costs about 14 MB and 100 ms, which a process that
  // never calls through it (the gateway's http transport, `--help`) should not pay.
  const sdk = async (): Promise<OpenAI> =>
    (client ??= new (await loadSdk())({
      baseURL,
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
      fetch: fetchForProvider,
    }));
  const model = provider.model;
  const shape = new RequestShape(provider);
  return {
    name: provider.name,
    model,
    baseURL,
    async complete(request, signal) {
      const openai = await sdk();
      const body = await shape.send(request, (adapted) =>
        unwrapRefusedRedirect(openai.chat.completions.create({ ...adapted, model, stream: false }, { signal: toAbortSignal(signal) })),
      );
      return assertChatCompletion(body);
    },
    async stream(request, signal) {
      const openai = await sdk();
      const chunks = await shape.send(request, (adapted) =>
        unwrapRefusedRedirect(openai.chat.completions.create({ ...adapted, model, stream: true }, { signal: toAbortSignal(signal) })),
      );
      return parsedChunks(chunks);
    },
    async listModels(signal) {
      // The raw body, not the SDK's page (which sees only `data`): every transport reads lists alike.
      return modelIdsOf(await unwrapRefusedRedirect((await sdk()).get('/models', { signal: toAbortSignal(signal) })));
    },
  };
}

async function* parsedChunks(chunks: AsyncIterable<ChatCompletionChunk>): AsyncGenerator<StreamChunk> {
  for await (const chunk of chunks) yield StreamChunk.of(chunk);
}

let sdkModule: Promise<typeof OpenAI> | undefined;

/**
 * The SDK's client class, loaded once per process on first use, reading error bodies the way
 * the http transport does (a Gemini list of errors would otherwise lose its message).
 */
function loadSdk(): Promise<typeof OpenAI> {
  return (sdkModule ??= import('openai').then(
    ({ default: Client }) =>
      class extends Client {
        protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers) {
          return statusError(status, error, message, headers);
        }
      },
  ));
}
