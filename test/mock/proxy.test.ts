import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { APIConnectionError, APIUserAbortError, AuthenticationError, InternalServerError } from 'openai';
import { startFaultProxy } from '../../src/mock/proxy.js';
import type { FaultProxy } from '../../src/mock/proxy.js';
import { startMockProvider } from '../../src/mock/server.js';
import type { MockProvider } from '../../src/mock/server.js';
import { NO_SDK_TIMEOUT, causeCodes, clientFor, collectStream, hello, rejectionOf } from './helpers.js';

const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function upstreamAndProxy(): Promise<{ upstream: MockProvider; proxy: FaultProxy }> {
  const upstream = await startMockProvider({ name: 'upstream', key: 'sk-upstream', reply: 'one two three four five', chunkDelayMs: 10 });
  closers.push(() => upstream.close());
  const proxy = await startFaultProxy({ target: upstream.baseURL });
  closers.push(() => proxy.close());
  return { upstream, proxy };
}

interface SeenRequest {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An upstream that records what reached it and answers with a fixed body. */
async function recordingUpstream(): Promise<{ baseURL: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (part: Buffer) => (body += part.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { baseURL: `http://127.0.0.1:${address.port}/v1`, seen };
}

describe('fault proxy: passing through', () => {
  it('listens on 127.0.0.1 under the same base path as its target', async () => {
    const { proxy } = await upstreamAndProxy();
    expect(proxy.baseURL).toBe(`http://127.0.0.1:${proxy.port}/v1`);
  });

  it('forwards method, path, query, headers (Authorization included) and body unchanged', async () => {
    const upstream = await recordingUpstream();
    const proxy = await startFaultProxy({ target: upstream.baseURL });
    closers.push(() => proxy.close());
    const response = await fetch(`${proxy.baseURL}/some/path?x=1`, {
      method: 'PUT',
      headers: { authorization: 'Bearer sk-secret', 'x-custom': 'kept', 'content-type': 'application/json' },
      body: '{"exact": "bytes" }',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(await response.text()).toBe('{"ok":true}');
    expect(upstream.seen).toHaveLength(1);
    expect(upstream.seen[0]).toMatchObject({ method: 'PUT', url: '/v1/some/path?x=1', body: '{"exact": "bytes" }' });
    expect(upstream.seen[0]?.headers).toMatchObject({ authorization: 'Bearer sk-secret', 'x-custom': 'kept', host: new URL(upstream.baseURL).host });
  });

  it('forwards a completion, and the upstream checks the key', async () => {
    const { upstream, proxy } = await upstreamAndProxy();
    const answer = await clientFor(proxy.baseURL, 'sk-upstream').chat.completions.create(hello);
    expect(answer.choices[0]?.message.content).toBe('one two three four five');
    expect(await rejectionOf(clientFor(proxy.baseURL, 'sk-wrong').chat.completions.create(hello))).toBeInstanceOf(AuthenticationError);
    expect(upstream.counters.completions).toBe(2);
    expect(proxy.counters).toMatchObject({ requests: 2, forwarded: 2, faults: 0, byStatus: { 200: 1, 401: 1 } });
  });

  it('pipes a stream back as it arrives', async () => {
    const { proxy } = await upstreamAndProxy();
    const started = Date.now();
    const stream = await clientFor(proxy.baseURL, 'sk-upstream').chat.completions.create({ ...hello, stream: true });
    let firstChunkAfter: number | undefined;
    const pieces: string[] = [];
    for await (const chunk of stream) {
      firstChunkAfter ??= Date.now() - started;
      pieces.push(chunk.choices[0]?.delta.content ?? '');
    }
    const total = Date.now() - started;
    expect(pieces.join('')).toBe('one two three four five');
    // Six gaps of 10 ms upstream: a buffering proxy would deliver the first chunk only at the end.
    expect(firstChunkAfter).toBeLessThan(total - 30);
  });

  it('answers 502 with an OpenAI-style error when the target cannot be reached', async () => {
    const upstream = await startMockProvider();
    const target = upstream.baseURL;
    await upstream.close();
    const proxy = await startFaultProxy({ target });
    closers.push(() => proxy.close());
    const error = await rejectionOf(clientFor(proxy.baseURL).chat.completions.create(hello));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).message).toMatch(/could not reach .*ECONNREFUSED/);
    expect(proxy.counters.upstreamErrors).toBe(1);
  });

  it('rejects a target that is not an http(s) URL', async () => {
    await expect(startFaultProxy({ target: 'ftp://127.0.0.1/v1' })).rejects.toThrow(/http or https/);
    await expect(startFaultProxy({ target: 'nope' })).rejects.toThrow(/not a URL/);
  });
});

describe('fault proxy: injecting faults', () => {
  it('plays a fault instead of forwarding while it is set, then passes through again', async () => {
    const { upstream, proxy } = await upstreamAndProxy();
    const client = clientFor(proxy.baseURL, 'sk-upstream');
    await proxy.setFault({ type: 'status', status: 503 });
    expect(await rejectionOf(client.chat.completions.create(hello))).toBeInstanceOf(InternalServerError);
    expect(await rejectionOf(client.models.list())).toBeInstanceOf(InternalServerError);
    expect(upstream.counters.requests).toBe(0);
    await proxy.clearFault();
    await expect(client.chat.completions.create(hello)).resolves.toBeDefined();
    expect(upstream.counters.completions).toBe(1);
  });

  it('counts a scoped fault the same way the mock does', async () => {
    const { upstream, proxy } = await upstreamAndProxy();
    const client = clientFor(proxy.baseURL, 'sk-upstream');
    await proxy.setFault({ type: 'status', status: 502, count: 1 });
    await rejectionOf(client.chat.completions.create(hello));
    await expect(client.chat.completions.create(hello)).resolves.toBeDefined();
    expect(upstream.counters.completions).toBe(1);
    expect(proxy.counters).toMatchObject({ faults: 1, forwarded: 1 });
  });

  it('reset and refuse reach the client as connection errors', async () => {
    const { proxy } = await upstreamAndProxy();
    const client = clientFor(proxy.baseURL, 'sk-upstream');
    await client.chat.completions.create(hello);
    await proxy.setFault({ type: 'reset' });
    expect(causeCodes(await rejectionOf(client.chat.completions.create(hello)))).toContain('ECONNRESET');
    await proxy.setFault({ type: 'refuse' });
    const refused = await rejectionOf(client.chat.completions.create(hello));
    expect(refused).toBeInstanceOf(APIConnectionError);
    expect(causeCodes(refused)).toContain('ECONNREFUSED');
    await proxy.clearFault();
    await expect(client.chat.completions.create(hello)).resolves.toBeDefined();
  });

  it('hang holds the request until the client aborts', async () => {
    const { proxy } = await upstreamAndProxy();
    await proxy.setFault({ type: 'hang' });
    const error = await rejectionOf(clientFor(proxy.baseURL, 'sk-upstream').chat.completions.create(hello, { signal: AbortSignal.timeout(100) }));
    expect(error).toBeInstanceOf(APIUserAbortError);
  });

  it('drops a relayed stream after N chunks', async () => {
    const { proxy } = await upstreamAndProxy();
    await proxy.setFault({ type: 'drop-mid-stream', afterChunks: 2 });
    const stream = await clientFor(proxy.baseURL, 'sk-upstream').chat.completions.create({ ...hello, stream: true });
    const error = await rejectionOf(collectStream(stream));
    expect((error as { piecesBeforeFailure: string[] }).piecesBeforeFailure).toEqual(['one ', 'two ']);
  });

  it('delays the first token of a relayed stream', async () => {
    const { proxy } = await upstreamAndProxy();
    await proxy.setFault({ type: 'slow-first-token', delayMs: 150 });
    const started = Date.now();
    const pieces = await collectStream(await clientFor(proxy.baseURL, 'sk-upstream').chat.completions.create({ ...hello, stream: true }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(pieces.join('')).toBe('one two three four five');
  });

  it('malformed JSON instead of the upstream answer', async () => {
    const { proxy } = await upstreamAndProxy();
    await proxy.setFault({ type: 'malformed-json' });
    expect(await rejectionOf(clientFor(proxy.baseURL, 'sk-upstream').chat.completions.create(hello))).toBeInstanceOf(SyntaxError);
  });

  it('close() ends hung requests on both sides', async () => {
    const { upstream, proxy } = await upstreamAndProxy();
    await upstream.setFault({ type: 'hang' });
    const pending = rejectionOf(clientFor(proxy.baseURL, 'sk-upstream', NO_SDK_TIMEOUT).chat.completions.create(hello));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await proxy.close();
    expect(await pending).toBeInstanceOf(APIConnectionError);
  });
});
