import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { AllProvidersFailed } from '../../src/engine/errors.js';
import type { Engine, EngineEvent } from '../../src/engine/types.js';
import type { ProviderTransport } from '../../src/providers/openai-compatible.js';

const COMPLETION = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'idle-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop', logprobs: null }],
};
const REQUEST = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 5 };

/** One request as the server sees it: on which connection it came, and whether that one had answered before. */
interface Arrival {
  readonly connection: number;
  readonly reused: boolean;
}

/**
 * A provider that closes a connection as a request arrives on it when `cut` says so. Cutting
 * reused connections is the race a server's idle timeout creates (the client writes to a
 * kept-alive socket the server has just closed), made deterministic.
 */
class IdleClosingServer {
  readonly arrivals: Arrival[] = [];
  private readonly server: Server;
  private readonly answered = new WeakSet<Socket>();
  private readonly connections: Socket[] = [];

  constructor(cut: (arrival: Arrival, earlier: readonly Arrival[]) => 'hang-up' | 'reset' | undefined) {
    this.server = createServer((req, res) => {
      const socket = req.socket;
      const arrival = { connection: this.connections.indexOf(socket), reused: this.answered.has(socket) };
      const how = cut(arrival, this.arrivals);
      this.arrivals.push(arrival);
      if (how === 'reset') return socket.resetAndDestroy();
      if (how === 'hang-up') return socket.destroy();
      req.resume();
      req.on('end', () => {
        this.answered.add(socket);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(COMPLETION));
      });
    });
    this.server.on('connection', (socket: Socket) => this.connections.push(socket));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let server: IdleClosingServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** One provider, no retries and a hair-trigger breaker: any failure the engine saw would show. */
async function engineFor(
  cut: ConstructorParameters<typeof IdleClosingServer>[0],
  transport: ProviderTransport = 'http',
): Promise<{ engine: Engine; events: EngineEvent[] }> {
  server = new IdleClosingServer(cut);
  const baseURL = await server.start();
  const events: EngineEvent[] = [];
  const engine = createEngine(
    {
      providers: [{ name: 'idle', baseURL, apiKey: 'sk-idle-0123456789', model: 'idle-model' }],
      retry: { maxRetries: 0 },
      breaker: { failureThreshold: 1 },
    },
    { transport, onEvent: (event) => events.push(event) },
  );
  return { engine, events };
}

const failuresIn = (events: readonly EngineEvent[]) => events.filter((event) => event.type === 'failure');

describe('a kept-alive connection the server closed while idle (http transport)', () => {
  for (const how of ['hang-up', 'reset'] as const) {
    it(`is sent again once on a fresh connection, not counted as a failure (${how})`, async () => {
      const { engine, events } = await engineFor((arrival) => (arrival.reused ? how : undefined));
      await engine.complete(REQUEST);
      const answer = await engine.complete(REQUEST);

      expect(answer.choices[0]!.message.content).toBe('hello');
      // The second call went out on connection 0 again, was cut, and was resent on connection 1.
      expect(server!.arrivals.map((arrival) => arrival.connection)).toEqual([0, 0, 1]);
      expect(failuresIn(events)).toEqual([]);
      expect(engine.state()[0]).toMatchObject({ breaker: 'closed', stats: { failures: 0, consecutiveFailures: 0 } });
      await engine.close();
    });
  }

  it('is resent only once: a fresh connection cut too is the provider failing', async () => {
    // Answers the first request only; every later one is cut, fresh connection or not.
    const { engine, events } = await engineFor((_arrival, earlier) => (earlier.length > 0 ? 'hang-up' : undefined));
    await engine.complete(REQUEST);
    await expect(engine.complete(REQUEST)).rejects.toBeInstanceOf(AllProvidersFailed);

    expect(server!.arrivals.map((arrival) => arrival.connection)).toEqual([0, 0, 1]);
    expect(failuresIn(events)).toMatchObject([{ error: { kind: 'connection', class: 'retryable' } }]);
    await engine.close();
  });

  it('does not cover a reset on a fresh connection: that is the provider failing, and is not resent', async () => {
    const { engine, events } = await engineFor(() => 'reset');
    await expect(engine.complete(REQUEST)).rejects.toBeInstanceOf(AllProvidersFailed);

    expect(server!.arrivals).toEqual([{ connection: 0, reused: false }]);
    expect(failuresIn(events)).toMatchObject([{ error: { kind: 'connection', class: 'retryable' } }]);
    await engine.close();
  });
});

describe('a kept-alive connection the server closed while idle (sdk transport)', () => {
  it('is sent again once on a fresh connection when undici says the socket had answered before (the hang-up form)', async () => {
    const { engine, events } = await engineFor((arrival) => (arrival.reused ? 'hang-up' : undefined), 'sdk');
    // undici spreads calls over its pooled sockets: a few calls are sure to reuse one.
    for (let call = 0; call < 4; call++) expect((await engine.complete(REQUEST)).choices[0]!.message.content).toBe('hello');

    expect(server!.arrivals.filter((arrival) => arrival.reused).length).toBeGreaterThan(0);
    expect(failuresIn(events)).toEqual([]);
    expect(engine.state()[0]).toMatchObject({ breaker: 'closed', stats: { failures: 0 } });
    await engine.close();
  });

  it('does not resend a request cut on a fresh connection', async () => {
    const { engine, events } = await engineFor(() => 'hang-up', 'sdk');
    await expect(engine.complete(REQUEST)).rejects.toBeInstanceOf(AllProvidersFailed);

    expect(server!.arrivals).toEqual([{ connection: 0, reused: false }]);
    expect(failuresIn(events)).toMatchObject([{ error: { kind: 'connection', class: 'retryable' } }]);
    await engine.close();
  });
});
