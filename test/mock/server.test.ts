import { afterEach, describe, expect, it } from 'vitest';
import { APIConnectionError, APIUserAbortError, AuthenticationError, InternalServerError, NotFoundError, RateLimitError } from 'openai';
import { startMockProvider } from '../../src/mock/server.js';
import type { MockProvider, MockProviderOptions } from '../../src/mock/server.js';
import { NO_SDK_TIMEOUT, causeCodes, clientFor, collectStream, hello, rejectionOf } from './helpers.js';

let provider: MockProvider | undefined;

async function start(options: MockProviderOptions = {}): Promise<MockProvider> {
  provider = await startMockProvider(options);
  return provider;
}

afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

describe('mock provider: the OpenAI wire format', () => {
  it('listens on 127.0.0.1 on a port the OS picks', async () => {
    const mock = await start();
    expect(mock.port).toBeGreaterThan(0);
    expect(mock.baseURL).toBe(`http://127.0.0.1:${mock.port}/v1`);
  });

  it('answers a plain completion with a valid chat.completion', async () => {
    const mock = await start({ name: 'alpha' });
    const answer = await clientFor(mock.baseURL).chat.completions.create(hello);
    expect(answer.object).toBe('chat.completion');
    expect(answer.model).toBe('mock-model');
    expect(answer.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hello from alpha. You sent 1 message to mock-model.' });
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    expect(answer.usage).toEqual({ prompt_tokens: 2, completion_tokens: 9, total_tokens: 11 });
  });

  it('streams the same answer in several chunks, the first carrying the role, ended by [DONE]', async () => {
    const mock = await start({ name: 'alpha' });
    const stream = await clientFor(mock.baseURL).chat.completions.create({ ...hello, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Hello from alpha. You sent 1 message to mock-model.');
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks[0]?.object).toBe('chat.completion.chunk');
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('adds a usage chunk when stream_options.include_usage is set', async () => {
    const mock = await start({ reply: 'one two three' });
    const stream = await clientFor(mock.baseURL).chat.completions.create({ ...hello, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } });
  });

  it('takes its reply from a function of the request and cuts it to max_tokens', async () => {
    const mock = await start({ reply: (request) => `you asked ${request.model} something long and wordy` });
    const answer = await clientFor(mock.baseURL).chat.completions.create({ ...hello, max_tokens: 3 });
    expect(answer.choices[0]?.message.content).toBe('you asked mock-model');
    expect(answer.choices[0]?.finish_reason).toBe('length');
  });

  it('waits chunkDelayMs between streamed chunks', async () => {
    const mock = await start({ reply: 'a b c', chunkDelayMs: 30 });
    const started = Date.now();
    await collectStream(await clientFor(mock.baseURL).chat.completions.create({ ...hello, stream: true }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(80); // three gaps after the first chunk
  });

  it('lists its models', async () => {
    const mock = await start({ models: ['small', 'large'], name: 'alpha' });
    const models = [];
    for await (const model of clientFor(mock.baseURL).models.list()) models.push(model);
    expect(models.map((model) => model.id)).toEqual(['small', 'large']);
    expect(models[0]).toMatchObject({ object: 'model', owned_by: 'alpha' });
    expect((await clientFor(mock.baseURL).models.retrieve('large')).id).toBe('large');
  });

  it('rejects a wrong or missing key with 401 invalid_api_key', async () => {
    const mock = await start({ key: 'sk-right' });
    const error = await rejectionOf(clientFor(mock.baseURL, 'sk-wrong').chat.completions.create(hello));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('invalid_api_key');
    expect(await rejectionOf(clientFor(mock.baseURL, 'sk-wrong').models.list())).toBeInstanceOf(AuthenticationError);
    await expect(clientFor(mock.baseURL, 'sk-right').chat.completions.create(hello)).resolves.toBeDefined();
  });

  it('answers 404 model_not_found for a model it does not serve', async () => {
    const mock = await start();
    const error = await rejectionOf(clientFor(mock.baseURL).chat.completions.create({ ...hello, model: 'gpt-nope' }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe('model_not_found');
  });

  it('answers 404 JSON on any other path', async () => {
    const mock = await start();
    const response = await fetch(`${mock.baseURL}/embeddings`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('counts requests, completions, streams, models and statuses', async () => {
    const mock = await start();
    const client = clientFor(mock.baseURL);
    await client.chat.completions.create(hello);
    await collectStream(await client.chat.completions.create({ ...hello, stream: true }));
    await client.models.list();
    await rejectionOf(client.chat.completions.create({ ...hello, model: 'nope' }));
    expect(mock.counters).toMatchObject({ requests: 4, completions: 3, streams: 1, models: 1, faults: 0, byStatus: { 200: 3, 404: 1 } });
    mock.resetCounters();
    expect(mock.counters).toMatchObject({ requests: 0, completions: 0, byStatus: {} });
  });
});

describe('mock provider: faults', () => {
  it('plays a status fault with an OpenAI error body, then is healthy once cleared', async () => {
    const mock = await start();
    const client = clientFor(mock.baseURL);
    await mock.setFault({ type: 'status', status: 503 });
    const error = await rejectionOf(client.chat.completions.create(hello));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(503);
    expect((error as InternalServerError).type).toBe('server_error');
    await mock.clearFault();
    await expect(client.chat.completions.create(hello)).resolves.toBeDefined();
  });

  it('sends the headers of a status fault (429 with retry-after)', async () => {
    const mock = await start();
    await mock.setFault({ type: 'status', status: 429, headers: { 'Retry-After': '2' } });
    const error = await rejectionOf(clientFor(mock.baseURL).chat.completions.create(hello));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get('retry-after')).toBe('2');
  });

  it('plays a counted fault on exactly the next N requests', async () => {
    const mock = await start();
    const client = clientFor(mock.baseURL);
    await mock.setFault({ type: 'status', status: 500 }, { count: 2 });
    await rejectionOf(client.chat.completions.create(hello));
    expect(mock.fault?.remaining).toBe(1);
    await rejectionOf(client.chat.completions.create(hello));
    await expect(client.chat.completions.create(hello)).resolves.toBeDefined();
    expect(mock.fault).toBeUndefined();
    expect(mock.counters).toMatchObject({ completions: 3, faults: 2, byStatus: { 500: 2, 200: 1 } });
  });

  it('ends a timed fault when its time is up', async () => {
    const mock = await start();
    await mock.setFault({ type: 'status', status: 503, forMs: 60 });
    await rejectionOf(clientFor(mock.baseURL).chat.completions.create(hello));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(clientFor(mock.baseURL).chat.completions.create(hello)).resolves.toBeDefined();
  });

  it('plays a sequence of faults one after another', async () => {
    const mock = await start();
    const client = clientFor(mock.baseURL);
    await mock.setFaults([
      { type: 'status', status: 429, count: 1 },
      { type: 'status', status: 502, count: 1 },
    ]);
    expect(((await rejectionOf(client.chat.completions.create(hello))) as RateLimitError).status).toBe(429);
    expect(((await rejectionOf(client.chat.completions.create(hello))) as InternalServerError).status).toBe(502);
    await expect(client.chat.completions.create(hello)).resolves.toBeDefined();
  });

  it('faults /v1/models probes too, unless limited to completions', async () => {
    const mock = await start();
    const client = clientFor(mock.baseURL);
    await mock.setFault({ type: 'status', status: 503 });
    expect(await rejectionOf(client.models.list())).toBeInstanceOf(InternalServerError);
    await mock.setFault({ type: 'status', status: 503 }, { paths: 'completions' });
    await expect(client.models.list()).resolves.toBeDefined();
    expect(await rejectionOf(client.chat.completions.create(hello))).toBeInstanceOf(InternalServerError);
  });

  it('html: an error page the client cannot take for a completion', async () => {
    const mock = await start();
    await mock.setFault({ type: 'html' });
    const error = await rejectionOf(clientFor(mock.baseURL).chat.completions.create(hello));
    expect(error).toMatchObject({ status: 502 });
    await mock.setFault({ type: 'html', status: 200 });
    const { response } = await clientFor(mock.baseURL).chat.completions.create(hello).withResponse();
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it('malformed-json: a 200 whose JSON body does not parse', async () => {
    const mock = await start();
    await mock.setFault({ type: 'malformed-json' });
    const error = await rejectionOf(clientFor(mock.baseURL).chat.completions.create(hello));
    expect(error).toBeInstanceOf(SyntaxError);
    const streamError = await rejectionOf(collectStream(await clientFor(mock.baseURL).chat.completions.create({ ...hello, stream: true })));
    expect(String(streamError)).toMatch(/JSON/);
  });

  it('reset: the connection dies with ECONNRESET and no response', async () => {
    const mock = await start();
    await mock.setFault({ type: 'reset' });
    const error = await rejectionOf(clientFor(mock.baseURL).chat.completions.create(hello));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(causeCodes(error)).toContain('ECONNRESET');
    expect(mock.counters.byStatus).toEqual({});
  });

  it('refuse: ECONNREFUSED while set (not a hang), the same port accepts again once cleared', async () => {
    const mock = await start();
    const client = clientFor(mock.baseURL);
    await client.chat.completions.create(hello); // leaves a kept-alive connection that refuse must cut
    await mock.setFault({ type: 'refuse' });
    const error = await rejectionOf(client.chat.completions.create(hello));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(causeCodes(error)).toContain('ECONNREFUSED');
    await mock.clearFault();
    await expect(client.chat.completions.create(hello)).resolves.toBeDefined();
  });

  it('refuse for a time reopens the port by itself', async () => {
    const mock = await start();
    await mock.setFault({ type: 'refuse' }, { forMs: 50 });
    expect(causeCodes(await rejectionOf(clientFor(mock.baseURL).models.list()))).toContain('ECONNREFUSED');
    await new Promise((resolve) => setTimeout(resolve, 120));
    await expect(clientFor(mock.baseURL).models.list()).resolves.toBeDefined();
  });

  it('refuses to count refused connections', async () => {
    const mock = await start();
    await expect(mock.setFault({ type: 'refuse' }, { count: 2 })).rejects.toThrow(/refuse cannot be limited/);
  });

  it('hang: never answers, until the client aborts', async () => {
    const mock = await start();
    await mock.setFault({ type: 'hang' });
    const error = await rejectionOf(clientFor(mock.baseURL).chat.completions.create(hello, { signal: AbortSignal.timeout(100) }));
    expect(error).toBeInstanceOf(APIUserAbortError);
  });

  it('close() does not wait for a hung request', async () => {
    const mock = await start();
    await mock.setFault({ type: 'hang' });
    const pending = rejectionOf(clientFor(mock.baseURL, 'sk-test', NO_SDK_TIMEOUT).chat.completions.create(hello));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await mock.close();
    expect(await pending).toBeInstanceOf(APIConnectionError);
  });

  it('slow-first-token: stream headers at once, the first chunk only after the delay', async () => {
    const mock = await start();
    await mock.setFault({ type: 'slow-first-token', delayMs: 150 });
    const started = Date.now();
    const stream = await clientFor(mock.baseURL).chat.completions.create({ ...hello, stream: true });
    const headersAfter = Date.now() - started;
    const pieces = await collectStream(stream);
    expect(headersAfter).toBeLessThan(120);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(pieces.join('')).toContain('Hello from mock.');
  });

  it('slow-first-token: a plain completion is late as a whole (and an abort ends the wait)', async () => {
    const mock = await start();
    await mock.setFault({ type: 'slow-first-token', delayMs: 5_000 });
    const error = await rejectionOf(clientFor(mock.baseURL).chat.completions.create(hello, { signal: AbortSignal.timeout(80) }));
    expect(error).toBeInstanceOf(APIUserAbortError);
  });

  it('drop-mid-stream: N chunks arrive, then iterating throws', async () => {
    const mock = await start({ reply: 'one two three four five six' });
    await mock.setFault({ type: 'drop-mid-stream', afterChunks: 2 });
    const stream = await clientFor(mock.baseURL).chat.completions.create({ ...hello, stream: true });
    const error = await rejectionOf(collectStream(stream));
    expect((error as { piecesBeforeFailure: string[] }).piecesBeforeFailure).toEqual(['one ', 'two ']);
  });

  it('drop-mid-stream: a plain completion is cut mid-body', async () => {
    const mock = await start();
    await mock.setFault({ type: 'drop-mid-stream', afterChunks: 1 });
    await expect(clientFor(mock.baseURL).chat.completions.create(hello)).rejects.toThrow();
  });
});
