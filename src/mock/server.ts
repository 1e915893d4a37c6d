import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ChatCompletionCreateParams, ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import { AnswerWriter } from './answer-writer.js';
import { FaultController } from './fault-controller.js';
import type { FaultControls } from './fault-controller.js';
import { playTerminalFault } from './faults.js';
import type { Route } from './faults.js';
import { PortListener, hostForURL } from './listener.js';
import { completion, limitReply, modelList, openAIError, sseEvent, streamChunks, usageFor, type AssistantAnswer } from './openai-shapes.js';
import { BodyTooLargeError, parseJsonObject, readBody } from './request-body.js';
import { newCounters, recordStatus, resetCounters } from './counters.js';
import type { RequestCounters } from './counters.js';

/** An assistant message to answer with: tool calls (finish reason `tool_calls`), with or without text. */
export interface MockMessage {
  readonly content?: string | null;
  readonly tool_calls?: readonly ChatCompletionMessageFunctionToolCall[];
  /** Fields a vendor adds to the message (`reasoning_content`, `annotations`...), answered as given. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * The answer: text (cut to `max_tokens`) or a whole message, fixed or computed from the request.
 * A request with `n` gets that many choices, each the same answer.
 */
export type MockReply = string | MockMessage | ((request: ChatCompletionCreateParams) => string | MockMessage);

/** One request as the mock received it, byte for byte (the headers that carry keys left out). */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body, as sent. */
  readonly body: string;
}

/** How to start a mock provider. Every field is optional. */
export interface MockProviderOptions {
  /** Shown in the default reply and as the models' owner (default `mock`). */
  name?: string;
  /** 0 (default): a free port the OS picks. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: the mock is never reachable from outside). */
  host?: string;
  /** When set, every request must carry `Authorization: Bearer <key>` (401 otherwise). */
  key?: string;
  /** The models it serves (default `['mock-model']`); any other is a 404 `model_not_found`. */
  models?: string[];
  /** The answer (default: `Hello from <name>. ...`, which echoes nothing from the request). */
  reply?: MockReply;
  /** Pause between streamed chunks, for realistic streams (default 0). */
  chunkDelayMs?: number;
  /** Keep every request in `received` (default false: a long benchmark would hold them all). */
  record?: boolean;
  /**
   * Top-level request fields it refuses with a 400 naming the field (`param`), as a vendor that
   * does not support them does (Groq and `logprobs`, Mistral and `seed`).
   */
  refuseFields?: readonly string[];
}

/** How often a mock was hit, so tests can say which provider answered and how often. */
export interface MockCounters extends RequestCounters {
  /** `POST /v1/chat/completions` requests, faulted ones included. */
  completions: number;
  /** Those of them with `stream: true`. */
  streams: number;
  /** `GET /v1/models` (and `/v1/models/{id}`) requests, faulted ones included. */
  models: number;
}

/** A running mock OpenAI-compatible provider. */
export interface MockProvider extends FaultControls {
  /** What an OpenAI client takes as `baseURL`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseURL: string;
  /** The port it listens on (the same one again after a `refuse` fault ends). */
  readonly port: number;
  /** Its name, as given (default `mock`). */
  readonly name: string;
  /** The models it serves, in order. */
  readonly models: readonly string[];
  /** Live counts since start or the last `resetCounters()`. */
  readonly counters: Readonly<MockCounters>;
  /** With `record: true`, every request since start or the last `resetCounters()`, in arrival order. */
  readonly received: readonly ReceivedRequest[];
  /** Sets every count back to zero and forgets the received requests. */
  resetCounters(): void;
  /** Stops listening and destroys every open connection, hung ones included. */
  close(): Promise<void>;
}

/** Starts a mock OpenAI-compatible provider on 127.0.0.1 (a free port unless one is given). */
export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const name = options.name ?? 'mock';
  const models = [...(options.models ?? ['mock-model'])];
  if (models.length === 0) throw new Error('a mock provider needs at least one model');
  const host = options.host ?? '127.0.0.1';
  const counters: MockCounters = { ...newCounters(), completions: 0, streams: 0, models: 0 };
  const created = Math.floor(Date.now() / 1000);
  const received: ReceivedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => failInternally(res, error));
  });
  const listener = await PortListener.open(server, host, options.port ?? 0);

  // Requests only arrive after this setup has run: connections are handled on a later turn of the event loop.
  const faults = new FaultController(listener);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.requests++;
    const requestId = `req_mock_${counters.requests}`;
    res.once('close', () => recordStatus(counters, res));
    const route = routeOf(req.method, new URL(req.url ?? '/', 'http://mock').pathname);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) sendPlainJson(res, 413, openAIError(error.message, 'invalid_request_error', null));
      return; // otherwise the client went away mid-body
    }
    if (options.record) received.push(receivedRequest(req, body));
    const json = route === 'completions' ? parseJsonObject(body) : undefined;
    const stream = json?.['stream'] === true;
    if (route === 'completions') counters.completions++;
    if (route === 'completions' && stream) counters.streams++;
    if (route === 'models') counters.models++;

    const fault = faults.take(route);
    if (fault) counters.faults++;
    if (fault && playTerminalFault(fault, { route, stream }, req, res)) return;

    const writer = new AnswerWriter(res, fault);
    const headers = { 'x-request-id': requestId };
    if (options.key !== undefined && req.headers.authorization !== `Bearer ${options.key}`) {
      const message = req.headers.authorization ? 'Incorrect API key provided.' : "You didn't provide an API key.";
      return sendJson(writer, 401, openAIError(message, 'invalid_request_error', 'invalid_api_key'), headers);
    }
    if (route === 'models') return answerModels(writer, req.url ?? '', headers);
    if (route === 'other') {
      return sendJson(writer, 404, openAIError(`Unknown request URL: ${req.method} ${req.url}.`, 'invalid_request_error', 'unknown_url'), headers);
    }
    if (!json) return sendJson(writer, 400, openAIError('We could not parse the JSON body of your request.', 'invalid_request_error', null), headers);
    return answerCompletion(writer, json, stream, requestId, headers);
  }

  async function answerModels(writer: AnswerWriter, url: string, headers: OutgoingHttpHeaders): Promise<void> {
    const list = modelList(models, name, created);
    const id = /\/v1\/models\/(.+)$/.exec(new URL(url, 'http://mock').pathname)?.[1];
    if (id === undefined) return sendJson(writer, 200, list, headers);
    const model = list.data.find((entry) => entry.id === decodeURIComponent(id));
    if (model) return sendJson(writer, 200, model, headers);
    return sendJson(writer, 404, modelNotFound(decodeURIComponent(id)), headers);
  }

  async function answerCompletion(
    writer: AnswerWriter,
    json: Record<string, unknown>,
    stream: boolean,
    requestId: string,
    headers: OutgoingHttpHeaders,
  ): Promise<void> {
    const model = json['model'];
    if (typeof model !== 'string') return sendJson(writer, 400, openAIError('you must provide a model parameter', 'invalid_request_error', null, 'model'), headers);
    if (!models.includes(model)) return sendJson(writer, 404, modelNotFound(model), headers);
    if (!Array.isArray(json['messages'])) {
      return sendJson(writer, 400, openAIError("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages'), headers);
    }
    const refused = options.refuseFields?.find((field) => Object.hasOwn(json, field));
    if (refused !== undefined) {
      return sendJson(writer, 400, openAIError(`'${refused}' is not supported by this provider.`, 'invalid_request_error', 'unsupported_parameter', refused), headers);
    }
    const request = json as unknown as ChatCompletionCreateParams;
    const reply = typeof options.reply === 'function' ? options.reply(request) : (options.reply ?? defaultReply(name, request));
    const answer = assistantAnswer(reply, request);
    const usage = usageFor(request, answer.content ?? '');
    const choices = typeof request.n === 'number' && request.n > 1 ? request.n : 1;
    const identity = { id: `chatcmpl-${requestId}`, model, created: Math.floor(Date.now() / 1000) };
    if (!stream) return sendJson(writer, 200, completion(identity, answer, choices, usage), headers);

    const includeUsage = (request.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const chunks = streamChunks(identity, answer, choices, includeUsage ? usage : undefined);
    if (!(await writer.head(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }))) return;
    for (const [index, chunk] of chunks.entries()) {
      if (index > 0 && !(await writer.wait(options.chunkDelayMs ?? 0))) return;
      if (!(await writer.write(sseEvent(chunk)))) return;
    }
    if (await writer.write(sseEvent('[DONE]'))) writer.end();
  }

  return {
    baseURL: `http://${hostForURL(host)}:${listener.port}/v1`,
    port: listener.port,
    name,
    models,
    setFault: (fault, scope) => faults.setFault(fault, scope),
    setFaults: (list) => faults.setFaults(list),
    clearFault: () => faults.clearFault(),
    get fault() {
      return faults.fault;
    },
    counters,
    received,
    resetCounters() {
      resetCounters(counters, { completions: 0, streams: 0, models: 0 });
      received.length = 0;
    },
    async close() {
      faults.dispose();
      await listener.close();
    },
  };
}

/** The default answer: who answered, and nothing from the request that could be a secret. */
function defaultReply(name: string, request: ChatCompletionCreateParams): string {
  const count = request.messages.length;
  return `Hello from ${name}. You sent ${count} message${count === 1 ? '' : 's'} to ${request.model}.`;
}

/** Text is cut to the request's token limit; a whole message is answered as given. */
function assistantAnswer(reply: string | MockMessage, request: ChatCompletionCreateParams): AssistantAnswer {
  if (typeof reply === 'string') {
    const { content, truncated } = limitReply(reply, request);
    return { content, toolCalls: [], finishReason: truncated ? 'length' : 'stop' };
  }
  const toolCalls = reply.tool_calls ?? [];
  return { content: reply.content ?? null, toolCalls, finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop', ...(reply.extra ? { extra: reply.extra } : {}) };
}

function receivedRequest(req: IncomingMessage, body: Buffer): ReceivedRequest {
  const { authorization: _bearer, 'x-api-key': _anthropic, 'api-key': _azure, ...headers } = req.headers;
  return { method: req.method ?? '', path: req.url ?? '', headers, body: body.toString('utf8') };
}

function modelNotFound(model: string): object {
  return openAIError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
}

function routeOf(method: string | undefined, path: string): Route {
  if (method === 'POST' && path === '/v1/chat/completions') return 'completions';
  if (method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) return 'models';
  return 'other';
}

async function sendJson(writer: AnswerWriter, status: number, body: object, headers: OutgoingHttpHeaders): Promise<void> {
  const text = JSON.stringify(body);
  const all = { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
  if ((await writer.head(status, all)) && (await writer.write(text))) writer.end();
}

function sendPlainJson(res: ServerResponse, status: number, body: object): void {
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(body));
}

/** A bug in the mock: answer 500 if still possible, so the test sees it rather than a hang. */
function failInternally(res: ServerResponse, error: unknown): void {
  const message = `mock provider internal error: ${error instanceof Error ? error.message : String(error)}`;
  if (!res.headersSent) sendPlainJson(res, 500, openAIError(message, 'server_error', null));
  else res.destroy();
}
