import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import OpenAI from 'openai';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { startGateway, type Gateway } from '../../src/serve/server.js';
import { UsageError } from '../../src/terminal/exit-codes.js';
import { parseAttach } from '../../src/watch/attach.js';
import { runWatch } from '../../src/watch/run-watch.js';
import { SseParser } from '../../src/watch/sse-parser.js';

describe('--attach options', () => {
  it('takes a gateway or a Redis URL, and says which schemes it accepts', () => {
    expect(parseAttach({ attach: 'http://127.0.0.1:4141/v1' }, {})).toEqual({ kind: 'gateway', url: 'http://127.0.0.1:4141' });
    expect(parseAttach({ attach: 'redis://127.0.0.1:6379/0', prefix: 'understudy:prod' }, {})).toEqual({ kind: 'fleet', url: 'redis://127.0.0.1:6379/0' });
    expect(() => parseAttach({ attach: 'ftp://127.0.0.1' })).toThrow(/--attach takes a gateway \(http:\/\/ or https:\/\/.*\) or a fleet's Redis \(redis:\/\/ or rediss:\/\/\), not a ftp:\/\/ URL/);
    expect(() => parseAttach({ attach: '127.0.0.1:4141' })).toThrow(UsageError);
  });

  it('refuses what an attached watch cannot use, and lets a fleet take --config and --interval', () => {
    expect(() => parseAttach({ attach: 'http://127.0.0.1:4141', offline: true })).toThrow(/--offline/);
    expect(() => parseAttach({ attach: 'redis://127.0.0.1:6379', completion: true })).toThrow(/--completion/);
    expect(() => parseAttach({ attach: 'http://127.0.0.1:4141', config: 'understudy.config.json' })).toThrow(/--config is not used with --attach http/);
    expect(() => parseAttach({ attach: 'http://127.0.0.1:4141', interval: '1000' })).toThrow(/--interval/);
    expect(() => parseAttach({ prefix: 'understudy:prod' })).toThrow(/--prefix names a fleet/);
    expect(parseAttach({ attach: 'redis://127.0.0.1:6379', config: 'x.json', interval: '1000' })).toMatchObject({ kind: 'fleet' });
  });

  it('sends the gateway token from UNDERSTUDY_GATEWAY_TOKEN', () => {
    expect(parseAttach({ attach: 'https://gw.internal' }, { UNDERSTUDY_GATEWAY_TOKEN: 'tok-1234' })).toEqual({ kind: 'gateway', url: 'https://gw.internal', token: 'tok-1234' });
  });
});

describe('SseParser', () => {
  it('dispatches data events split across chunks, with CRLF, comments and multi-line data', () => {
    const parser = new SseParser();
    expect(parser.push(': connected\n\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\r')).toEqual([]);
    expect(parser.push('\n\r\nevent: error\ndata: x\ndata:y\n\n')).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'error', data: 'x\ny' },
    ]);
    expect(parser.push(': heartbeat\n\n')).toEqual([]);
  });
});

describe('watch --attach a gateway, without a terminal', () => {
  let stdout: string[] = [];
  let stderr: string[] = [];
  const cleanup: (() => Promise<void>)[] = [];

  beforeEach(() => {
    stdout = [];
    stderr = [];
    vi.stubEnv('CI', '1');
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => stdout.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function gateway(): Promise<{ gateway: Gateway; primary: MockProvider }> {
    const mocks = await Promise.all(['primary', 'backup'].map((name) => startMockProvider({ name, models: [`${name}-model`] })));
    cleanup.push(async () => void (await Promise.all(mocks.map((mock) => mock.close()))));
    const started = await startGateway(
      {
        providers: mocks.map((mock) => ({ name: mock.name, baseURL: mock.baseURL, apiKey: 'sk-attach-0001', model: mock.models[0]! })),
        retry: { maxRetries: 0 },
        breaker: { failureThreshold: 1, cooldownMs: 60_000 },
      },
      { port: 0 },
    );
    cleanup.push(() => started.close({ graceMs: 500 }));
    return { gateway: started, primary: mocks[0]! };
  }

  it('--once exits 0 while every breaker is closed and 1 once the primary is open', async () => {
    const { gateway: gw, primary } = await gateway();
    await expect(runWatch({ attach: gw.url, once: true })).resolves.toBe(0);
    expect(stdout.join('')).toMatch(/healthy: every breaker is closed; traffic → primary/);

    await primary.setFault({ type: 'status', status: 503 });
    await new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 }).chat.completions.create({ model: 'any', messages: [{ role: 'user', content: 'hi' }] });
    stdout = [];
    await expect(runWatch({ attach: gw.url, once: true, json: true })).resolves.toBe(1);
    const document = JSON.parse(stdout.join('')) as { type: string; healthy: boolean; providers: { name: string; breaker: string; retryInMs: number }[] };
    expect(document).toMatchObject({ type: 'sync', healthy: false, traffic: 'backup' });
    expect(document.providers[0]).toMatchObject({ name: 'primary', breaker: 'open' });
    expect(document.providers[0]!.retryInMs).toBeGreaterThan(50_000);
  });

  it('--once exits 1 naming the reason when the gateway cannot be reached', async () => {
    const { gateway: gw } = await gateway();
    const url = gw.url;
    await gw.close({ graceMs: 100 });
    await expect(runWatch({ attach: url, once: true })).resolves.toBe(1);
    expect(stderr.join('')).toContain(`could not reach ${url}: connection refused`);
  });
});
