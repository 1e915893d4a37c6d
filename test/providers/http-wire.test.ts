import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { APIUserAbortError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { classify } from '../../src/engine/classify.js';
import type { CompletionRequest } from '../../src/engine/types.js';
import { createProviderClient, type ProviderClient, type ProviderTransport } from '../../src/providers/openai-compatible.js';

const KEY = 'sk-wire-0123456789';
const REQUEST: CompletionRequest = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 7, temperature: 0 };
const COMPLETION = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'wire-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop', logprobs: null }],
};
const CHUNK = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'wire-model', choices: [{ index: 0, delta: { content: 'hel' }, finish_reason: null }] };

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A loopback server answering from a handler; records every request and every connection. */
class WireServer {
  readonly seen: Seen[] = [];
  readonly sockets: Socket[] = [];
  private readonly server: Server;

  constructor(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (part: string) => (body += part));
      req.on('end', () => {
        this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        handler(req, res, body);
      });
    });
    this.server.on('connection', (socket: Socket) => this.sockets.push(socket));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Resolves when the connection that carried the last request has been closed by the client. */
  lastSocketClosed(): Promise<void> {
    const socket = this.sockets.at(-1)!;
    return socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ server: WireServer; baseURL: string }> {
  const server = new WireServer(handler);
  servers.push(server);
  return { server, baseURL: await server.start() };
}

function clientFor(baseURL: string, transport: ProviderTransport, headers?: Record<string, string>): ProviderClient {
  const provider = normalizeConfig({ providers: [{ name: 'wire', baseURL, apiKey: KEY, model: 'wire-model', ...(headers ? { headers } : {}) }] })
    .providers[0]!;
  return createProviderClient(provider, { transport });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

const never = new AbortController().signal;

describe('http transport on the wire', () => {
  it('sends the same requests as the SDK transport', async () => {
    const { server, baseURL } = await serve((req, res, body) => {
      if (req.url === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: 'wire-model', object: 'model' }] });
      if (JSON.parse(body).stream) return void res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: [DONE]\n\n');
      json(res, 200, COMPLETION);
    });
    for (const transport of ['sdk', 'http'] as const) {
      const client = clientFor(baseURL, transport, { 'X-Team': 'agents' });
      await client.complete(REQUEST, never);
      for await (const _chunk of await client.stream(REQUEST, never));
      await client.listModels(never);
    }
    const wire = server.seen.map(({ method, url, headers, body }) => ({
      method,
      url,
      body,
      authorization: headers.authorization,
      contentType: headers['content-type'],
      accept: headers.accept,
      team: headers['x-team'],
      organization: headers['openai-organization'],
    }));
    expect(wire).toHaveLength(6);
    expect(wire.slice(3)).toEqual(wire.slice(0, 3));
    expect(wire[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions', authorization: `Bearer ${KEY}`, contentType: 'application/json', team: 'agents' });
    expect(JSON.parse(wire[0]!.body)).toEqual({ ...REQUEST, model: 'wire-model', stream: false });
    expect(wire[2]).toMatchObject({ method: 'GET', url: '/v1/models', body: '' });
  });

  it('keeps one connection alive for calls in sequence', async () => {
    const { server, baseURL } = await serve((_req, res) => json(res, 200, COMPLETION));
    const client = clientFor(baseURL, 'http');
    for (let call = 0; call < 5; call++) await client.complete(REQUEST, never);
    expect(server.seen).toHaveLength(5);
    expect(server.sockets).toHaveLength(1);
  });

  it('switches to max_completion_tokens for good when the provider asks, as the SDK transport does', async () => {
    const { server, baseURL } = await serve((_req, res, body) => {
      if ('max_tokens' in JSON.parse(body)) {
        return json(res, 400, { error: { message: "Unsupported parameter: 'max_tokens'. Use 'max_completion_tokens' instead.", type: 'invalid_request_error' } });
      }
      json(res, 200, COMPLETION);
    });
    const client = clientFor(baseURL, 'http');
    await client.complete(REQUEST, never);
    await client.complete(REQUEST, never);
    const bodies = server.seen.map((seen) => JSON.parse(seen.body) as Record<string, unknown>);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toHaveProperty('max_tokens', 7);
    expect(bodies[1]).toMatchObject({ max_completion_tokens: 7 });
    expect(bodies[2]).not.toHaveProperty('max_tokens');
  });

  it('throws on an SSE error event as the SDK transport does', async () => {
    const { baseURL } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify(CHUNK)}\n\nevent: error\ndata: {"error":{"message":"overloaded mid-answer","type":"server_error"}}\n\n`);
    });
    const outcomes = [];
    for (const transport of ['sdk', 'http'] as const) {
      const chunks: unknown[] = [];
      try {
        for await (const chunk of await clientFor(baseURL, transport).stream(REQUEST, never)) chunks.push(chunk.value);
        outcomes.push({ chunks, error: undefined });
      } catch (error) {
        outcomes.push({ chunks, error: classify(error), name: (error as Error).constructor.name });
      }
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[0]).toMatchObject({ chunks: [CHUNK], error: { kind: 'server', status: 500, message: expect.stringContaining('overloaded mid-answer') } });
  });

  it('reads SSE split anywhere, with CRLF line ends and comments', async () => {
    const text = `: keep-alive\r\n\r\ndata: ${JSON.stringify(CHUNK)}\r\n\r\ndata: [DONE]\r\n\r\n`;
    const { baseURL } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // One byte at a time, so every line end and event boundary is split across reads.
      let index = 0;
      const next = () => (index < text.length ? res.write(text[index++]!, () => setImmediate(next)) : res.end());
      next();
    });
    const chunks = [];
    for await (const chunk of await clientFor(baseURL, 'http').stream(REQUEST, never)) chunks.push(chunk.value);
    expect(chunks).toEqual([CHUNK]);
  });

  it('reads a body a server compressed unasked', async () => {
    const { baseURL } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(JSON.stringify(COMPLETION)));
    });
    expect(await clientFor(baseURL, 'http').complete(REQUEST, never)).toEqual(COMPLETION);
  });

  it('treats a redirect as a misconfigured provider, not as the caller\'s fault', async () => {
    const { baseURL } = await serve((_req, res) => res.writeHead(301, { location: 'https://elsewhere.invalid/v1/chat/completions' }).end());
    const error = await clientFor(baseURL, 'http').complete(REQUEST, never).catch((thrown: unknown) => thrown);
    expect(classify(error)).toMatchObject({ kind: 'malformed', class: 'retryable' });
  });
});

describe('http transport streams', () => {
  const event = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

  it('drains the body after [DONE], passing nothing after it on, and reuses the connection', async () => {
    const { server, baseURL } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`${event(CHUNK)}data: [DONE]\n\n${event({ after: 'done' })}`);
    });
    const client = clientFor(baseURL, 'http');
    for (let call = 0; call < 3; call++) {
      const chunks = [];
      for await (const chunk of await client.stream(REQUEST, never)) chunks.push(chunk.value);
      expect(chunks).toEqual([CHUNK]);
    }
    expect(server.seen).toHaveLength(3);
    expect(server.sockets).toHaveLength(1);
  });

  it('reads a stream a server compressed unasked', async () => {
    const { server, baseURL } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' }).end(gzipSync(`${event(CHUNK)}${event(CHUNK)}data: [DONE]\n\n`));
    });
    const client = clientFor(baseURL, 'http');
    for (let call = 0; call < 2; call++) {
      const chunks = [];
      for await (const chunk of await client.stream(REQUEST, never)) chunks.push(chunk.value);
      expect(chunks).toEqual([CHUNK, CHUNK]);
    }
    expect(server.sockets).toHaveLength(1);
  });

  it('holds the body back while chunks wait to be read, and loses none of them', async () => {
    const CAP = 200_000;
    let backpressured!: (written: number) => void;
    const heldBack = new Promise<number>((resolve) => (backpressured = resolve));
    const { baseURL } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Writes until what the client has not taken piles up here, beyond the kernel's buffers:
      // a client that kept reading (into memory) would take all CAP events.
      let written = 0;
      const pump = () => {
        for (let batch = 0; batch < 100 && written < CAP; batch++) res.write(event({ ...CHUNK, n: written++ }));
        if (written < CAP && res.socket!.writableLength < 1_000_000) return void setImmediate(pump);
        backpressured(written);
        res.end('data: [DONE]\n\n');
      };
      pump();
    });
    const chunks = (await clientFor(baseURL, 'http').stream(REQUEST, never))[Symbol.asyncIterator]();
    await chunks.next();
    const written = await heldBack;
    expect(written).toBeLessThan(CAP);
    let read = 1;
    while (!(await chunks.next()).done) read++;
    expect(read).toBe(written);
  });

  it('destroys the socket when the reader stops early', async () => {
    const { server, baseURL } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(event(CHUNK) + event(CHUNK));
    });
    for await (const _chunk of await clientFor(baseURL, 'http').stream(REQUEST, never)) break;
    await server.lastSocketClosed();
    expect(server.sockets.at(-1)!.destroyed).toBe(true);
  });

  it('passes on the chunks read before the connection broke, then a connection error', async () => {
    const { baseURL } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(event(CHUNK), () => res.socket?.destroy());
    });
    const chunks: unknown[] = [];
    const error = await (async () => {
      for await (const chunk of await clientFor(baseURL, 'http').stream(REQUEST, never)) chunks.push(chunk.value);
    })().catch((thrown: unknown) => thrown);
    expect(chunks).toEqual([CHUNK]);
    expect(classify(error)).toMatchObject({ kind: 'connection' });
  });
});

describe('http transport aborts', () => {
  /** Aborts the call once the server has done `stage`, and checks the socket is gone at once. */
  async function abortAt(stage: (res: ServerResponse) => void, call: (client: ProviderClient, signal: AbortSignal) => Promise<unknown>) {
    let reached!: () => void;
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    const { server, baseURL } = await serve((_req, res) => {
      stage(res);
      // Let the written bytes reach the client before it aborts.
      setTimeout(reached, 20);
    });
    const controller = new AbortController();
    const pending = call(clientFor(baseURL, 'http'), controller.signal).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await arrived;
    controller.abort();
    await server.lastSocketClosed();
    return pending;
  }

  it('destroys the socket before the response head', async () => {
    const outcome = await abortAt(() => {}, (client, signal) => client.complete(REQUEST, signal));
    expect(outcome).toEqual({ error: expect.any(APIUserAbortError) });
  });

  it('destroys the socket after the head, before the body', async () => {
    const outcome = await abortAt((res) => res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders(), (client, signal) => client.complete(REQUEST, signal));
    expect(outcome).toEqual({ error: expect.any(APIUserAbortError) });
  });

  it('destroys the socket mid-body', async () => {
    const outcome = await abortAt((res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"choices":['), (client, signal) => client.complete(REQUEST, signal));
    expect(outcome).toEqual({ error: expect.any(APIUserAbortError) });
  });

  it('destroys the socket mid-stream, and the stream ends quietly as the SDK\'s does', async () => {
    const chunks: unknown[] = [];
    const outcome = await abortAt(
      (res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).write(`data: ${JSON.stringify(CHUNK)}\n\n`),
      async (client, signal) => {
        for await (const chunk of await client.stream(REQUEST, signal)) chunks.push(chunk.value);
      },
    );
    expect(outcome).toEqual({ value: undefined });
    expect(chunks).toEqual([CHUNK]);
  });

  it('never sends a request whose signal already fired', async () => {
    const { server, baseURL } = await serve((_req, res) => json(res, 200, COMPLETION));
    const controller = new AbortController();
    controller.abort();
    await expect(clientFor(baseURL, 'http').complete(REQUEST, controller.signal)).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.sockets).toHaveLength(0);
  });
});
