import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { maskSecrets } from '../../src/config/secrets.js';
import { classify } from '../../src/engine/classify.js';
import type { AttemptError } from '../../src/engine/types.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { createProviderClient, type ProviderClient, type ProviderTransport } from '../../src/providers/openai-compatible.js';
import { startRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../support/recording-proxy.js';
import { startTlsFront, TEST_CA_FILE, type TlsFront } from '../support/tls-front.js';

const TRANSPORTS: readonly ProviderTransport[] = ['sdk', 'http'];
const KEY = 'sk-proxied-0123456789';
const PROXY_USER = 'team';
const PROXY_PASSWORD = 'pr0xy:p@ss/word';
const PROXY_AUTHORIZATION = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
const REQUEST = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 5 };
// A reserved name that resolves nowhere: only the proxy knows where it is (the local mock).
const HTTPS_BASE = 'https://api.provider.test/v1';
const HTTP_BASE = 'http://api.provider.test:8080/v1';
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];

let mock: MockProvider;
let front: TlsFront;
let proxy: RecordingProxy;

beforeAll(async () => {
  mock = await startMockProvider({ name: 'proxied', key: KEY, models: ['proxied-model'] });
  front = await startTlsFront(mock.port);
  proxy = await startRecordingProxy({
    routes: { 'api.provider.test:443': front.port, 'api.provider.test:8080': mock.port },
    requireAuthorization: PROXY_AUTHORIZATION,
  });
});

afterAll(async () => {
  await proxy.close();
  await front.close();
  await mock.close();
});

beforeEach(() => {
  // Whatever this machine has set must not decide these tests.
  for (const name of PROXY_VARIABLES) vi.stubEnv(name, '');
  proxy.seen.length = 0;
  return () => vi.unstubAllEnvs();
});

/** The proxy's URL as a user writes it in HTTPS_PROXY, credentials URL-encoded. */
function proxyURL(password = PROXY_PASSWORD): string {
  return proxy.url.replace('//', `//${PROXY_USER}:${encodeURIComponent(password)}@`);
}

function clientFor(transport: ProviderTransport, baseURL: string, extra: { ca?: string } = {}): ProviderClient {
  const provider = normalizeConfig({ providers: [{ name: 'proxied', baseURL, apiKey: KEY, model: 'proxied-model', ...extra }] }).providers[0]!;
  return createProviderClient(provider, { transport });
}

/** One of each call: the models list, a completion and a stream. */
async function useEveryCall(client: ProviderClient): Promise<{ models: string[]; content: string | null | undefined; chunks: number }> {
  const signal = new AbortController().signal;
  const models = await client.listModels(signal);
  const content = (await client.complete(REQUEST, signal)).choices[0]?.message.content;
  let chunks = 0;
  for await (const _chunk of await client.stream(REQUEST, signal)) chunks++;
  return { models, content, chunks };
}

async function failureOf(call: Promise<unknown>): Promise<AttemptError> {
  try {
    await call;
  } catch (error) {
    return classify(error);
  }
  throw new Error('the call succeeded');
}

describe.each(TRANSPORTS)('the %s transport behind HTTPS_PROXY / HTTP_PROXY', (transport) => {
  it('reaches an https provider through a CONNECT tunnel: the proxy sees the host, never the request or its key', async () => {
    vi.stubEnv('HTTPS_PROXY', proxyURL());
    const before = { ...mock.counters };
    const answers = await useEveryCall(clientFor(transport, HTTPS_BASE, { ca: TEST_CA_FILE }));

    expect(answers.models).toEqual(['proxied-model']);
    expect(answers.content).toMatch(/Hello from proxied/);
    expect(answers.chunks).toBeGreaterThan(1);
    expect(mock.counters.models - before.models).toBe(1);
    expect(mock.counters.completions - before.completions).toBe(2);
    expect(proxy.seen.length).toBeGreaterThan(0);
    for (const seen of proxy.seen) {
      expect(seen).toMatchObject({ kind: 'connect', target: 'api.provider.test:443' });
      expect(seen.headers['proxy-authorization']).toBe(PROXY_AUTHORIZATION);
      expect(JSON.stringify(seen.headers)).not.toContain(KEY);
    }
  });

  it('sends an http provider its requests through the proxy in absolute form', async () => {
    vi.stubEnv('HTTP_PROXY', proxyURL());
    const answers = await useEveryCall(clientFor(transport, HTTP_BASE));

    expect(answers.models).toEqual(['proxied-model']);
    expect(answers.content).toMatch(/Hello from proxied/);
    const forwarded: ProxiedRequest[] = proxy.seen;
    expect(forwarded.map((seen) => [seen.kind, seen.target])).toEqual([
      ['forward', 'http://api.provider.test:8080/v1/models'],
      ['forward', 'http://api.provider.test:8080/v1/chat/completions'],
      ['forward', 'http://api.provider.test:8080/v1/chat/completions'],
    ]);
    for (const seen of forwarded) {
      expect(seen.headers.host).toBe('api.provider.test:8080');
      expect(seen.headers['proxy-authorization']).toBe(PROXY_AUTHORIZATION);
    }
  });

  it('reads the lower-case variable first, as curl does', async () => {
    vi.stubEnv('HTTPS_PROXY', 'http://127.0.0.1:9');
    vi.stubEnv('https_proxy', proxyURL());
    await clientFor(transport, HTTPS_BASE, { ca: TEST_CA_FILE }).listModels(new AbortController().signal);
    expect(proxy.seen).toHaveLength(1);
  });

  it('never sends a loopback provider to the proxy', async () => {
    vi.stubEnv('HTTP_PROXY', proxyURL());
    vi.stubEnv('HTTPS_PROXY', proxyURL());
    expect(await clientFor(transport, mock.baseURL).listModels(new AbortController().signal)).toEqual(['proxied-model']);
    expect(proxy.seen).toEqual([]);
  });
});

describe('a proxy that refuses', () => {
  for (const [variable, baseURL] of [
    ['HTTPS_PROXY', HTTPS_BASE],
    ['HTTP_PROXY', HTTP_BASE],
  ] as const) {
    it(`is a retryable connection failure naming the proxy and its 407, never the password (${variable}, both transports alike)`, async () => {
      const wrongPassword = 'wrong-proxy-secret';
      vi.stubEnv(variable, proxyURL(wrongPassword));
      const failures: AttemptError[] = [];
      for (const transport of TRANSPORTS) {
        failures.push(await failureOf(clientFor(transport, baseURL, { ca: TEST_CA_FILE }).complete(REQUEST, new AbortController().signal)));
      }

      expect(failures[1]).toEqual(failures[0]);
      expect(failures[0]).toMatchObject({ kind: 'connection', class: 'retryable' });
      expect(failures[0]!.message).toContain(`the proxy ${proxy.url} refused to connect to api.provider.test`);
      expect(failures[0]!.message).toContain('407 Proxy Authentication Required');
      expect(failures[0]!.message).not.toContain(wrongPassword);
      // Registered as a secret when read, so any output path masks it.
      expect(maskSecrets(`proxy ${wrongPassword}`)).toBe('proxy ***');
    });
  }
});
