import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { RequestFailed } from '../../src/engine/errors.js';
import type { CompletionRequest } from '../../src/engine/types.js';
import type { ProviderTransport } from '../../src/providers/openai-compatible.js';
import { startProviders, type Providers } from '../run/helpers.js';
import {
  completionBodies,
  directChunks,
  directCompletion,
  expectedBody,
  fieldTexts,
  JSON_OBJECT_REQUEST,
  SCHEMA_REQUEST,
  shapeOf,
  TOOL_ANSWER,
  TOOL_REQUEST,
} from '../support/rich-request.js';

// A request the primary cannot answer reaches the fallback exactly as the caller wrote it, and
// the fallback's answer (tool calls, several choices, structured output) comes back exactly as
// the fallback gave it: through `complete` and `stream`, over both provider transports.

let providers: Providers | undefined;
afterEach(async () => {
  await providers?.close();
  providers = undefined;
});

const STRUCTURED = '{"severity":"high","summary":"disk full on db-1"}';

async function start(): Promise<Providers> {
  const reply = (request: { tools?: unknown }) => (request.tools ? TOOL_ANSWER : STRUCTURED);
  providers = await startProviders({ primary: { record: true, reply }, backup: { record: true, reply } });
  await providers.primary.setFault({ type: 'status', status: 503 });
  return providers;
}

const requests = { tools: TOOL_REQUEST, 'json_schema': SCHEMA_REQUEST, 'json_object': JSON_OBJECT_REQUEST };
const transports: ProviderTransport[] = ['sdk', 'http'];

describe.each(transports)('request fidelity over failover (%s transport)', (transport) => {
  it.each(Object.entries(requests))('complete: a %s request reaches both providers byte for byte, and the fallback answer comes back whole', async (_, request) => {
    const { primary, backup, engine } = await start();
    const expected = await directCompletion(backup.baseURL, { ...request, model: 'backup-model' });
    backup.resetCounters();

    const result = await engine({}, { transport }).complete(request as unknown as CompletionRequest);

    expect(result.provider).toBe('backup');
    expect(completionBodies(primary.received)).toEqual([expectedBody(request, 'primary-model', false)]);
    expect(completionBodies(backup.received)).toEqual([expectedBody(request, 'backup-model', false)]);
    expect(shapeOf(result)).toEqual(shapeOf(expected));
  });

  it.each(Object.entries(requests))('stream: a %s request reaches both providers byte for byte, and every fallback chunk comes back unchanged', async (_, request) => {
    const { primary, backup, engine } = await start();
    const expected = await directChunks(backup.baseURL, { ...request, model: 'backup-model' });
    backup.resetCounters();

    const stream = engine({}, { transport }).stream(request as unknown as CompletionRequest);
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(shapeOf(chunk));

    expect(stream.provider).toBe('backup');
    expect(completionBodies(primary.received)).toEqual([expectedBody(request, 'primary-model', true)]);
    expect(completionBodies(backup.received)).toEqual([expectedBody(request, 'backup-model', true)]);
    expect(chunks).toEqual(expected.map(shapeOf));
  });

  it('restarts a stream the primary broke mid-answer on the fallback with the very same request, and relays the fallback whole', async () => {
    const { primary, backup, engine } = await start();
    const expected = await directChunks(backup.baseURL, { ...TOOL_REQUEST, model: 'backup-model' });
    backup.resetCounters();
    await primary.setFault({ type: 'drop-mid-stream', afterChunks: 2 });

    const restarts: string[] = [];
    const chunks: unknown[] = [];
    for await (const chunk of engine({}, { transport }).stream(TOOL_REQUEST as unknown as CompletionRequest, { onRestart: (event) => restarts.push(event.to) })) {
      chunks.push(shapeOf(chunk));
    }

    expect(restarts).toEqual(['backup']);
    expect(completionBodies(primary.received)).toEqual([expectedBody(TOOL_REQUEST, 'primary-model', true)]);
    expect(completionBodies(backup.received)).toEqual([expectedBody(TOOL_REQUEST, 'backup-model', true)]);
    // What came before the restart is the primary's (the consumer discards it); the rest is the fallback's, unchanged.
    expect(chunks.slice(-expected.length)).toEqual(expected.map(shapeOf));
  });

  it('streams tool calls as deltas that assemble into the fallback call, for every choice', async () => {
    const { engine } = await start();
    const calls = new Map<string, { id?: string; name?: string; arguments: string }>();
    for await (const chunk of engine({}, { transport }).stream(TOOL_REQUEST as unknown as CompletionRequest)) {
      for (const choice of chunk.choices) {
        for (const delta of choice.delta.tool_calls ?? []) {
          const key = `${choice.index}/${delta.index}`;
          const call = calls.get(key) ?? { arguments: '' };
          if (delta.id) call.id = delta.id;
          if (delta.function?.name) call.name = delta.function.name;
          call.arguments += delta.function?.arguments ?? '';
          calls.set(key, call);
        }
      }
    }
    const wanted = TOOL_ANSWER.tool_calls![0]!;
    const assembled = { id: wanted.id, name: wanted.function.name, arguments: wanted.function.arguments };
    expect(Object.fromEntries(calls)).toEqual({ '0/0': assembled, '1/0': assembled });
  });
});

describe.each(transports)('per-provider request shape over failover (%s transport)', (transport) => {
  it("sends the fallback the caller's request minus what its vendor refuses, and the primary all of it", async () => {
    const { primary, backup, config } = await start();
    const request = { ...TOOL_REQUEST, logprobs: true, top_logprobs: 2, messages: [...TOOL_REQUEST.messages, { role: 'user', content: 'and tomorrow?', name: 'alice' }] };
    const [primaryConfig, backupConfig] = config.providers;
    const engine = createEngine({ ...config, providers: [primaryConfig!, { ...backupConfig!, preset: 'groq' }] }, { transport });

    const result = await engine.complete(request as unknown as CompletionRequest);
    engine.close();

    expect(result.provider).toBe('backup');
    expect(completionBodies(primary.received)).toEqual([expectedBody(request, 'primary-model', false)]);
    // Groq documents a 400 for n > 1, logprobs, top_logprobs, logit_bias and messages[].name.
    const { n: _n, logprobs: _logprobs, top_logprobs: _top, ...kept } = request;
    const messages = (request.messages as ReadonlyArray<Record<string, unknown>>).map(({ name: _name, ...message }) => message);
    expect(completionBodies(backup.received).map(fieldTexts)).toEqual([fieldTexts(expectedBody({ ...kept, messages }, 'backup-model', false))]);
  });
});

describe("a vendor's own 400 does not stop the failover", () => {
  async function withStrictFallback(dropParams?: string[]) {
    providers = await startProviders({ backup: { refuseFields: ['logprobs', 'n'] } });
    await providers.primary.setFault({ type: 'status', status: 503 });
    const [primaryConfig, backupConfig] = providers.config.providers;
    const backup = { ...backupConfig!, preset: 'groq', ...(dropParams ? { dropParams } : {}) };
    return createEngine({ ...providers.config, providers: [primaryConfig!, backup] });
  }
  const request = { messages: [{ role: 'user' as const, content: 'hi' }], logprobs: true, n: 1 };

  it('without dropping, the fallback vendor refusing logprobs reads as the caller bug: a 400, no answer', async () => {
    const engine = await withStrictFallback([]);
    const failure = await engine.complete(request).catch((error: unknown) => error);
    engine.close();
    expect(failure).toBeInstanceOf(RequestFailed);
    expect((failure as RequestFailed).error).toMatchObject({ status: 400, class: 'fatal', rejection: { param: 'logprobs' } });
  });

  it("with the groq preset's defaults, the fallback answers", async () => {
    const engine = await withStrictFallback();
    const result = await engine.complete(request);
    engine.close();
    expect(result.provider).toBe('backup');
    expect(result.choices[0]!.message.content).toContain('backup');
  });
});
