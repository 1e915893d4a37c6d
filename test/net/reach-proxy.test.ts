import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSchema } from '../../src/config/schema.js';
import { hintFor, type HintContext } from '../../src/health/hints.js';
import { readCertificates } from '../../src/net/certificates.js';
import type { ProxyRoute } from '../../src/net/proxy.js';
import { reach, ReachError, type ReachTarget } from '../../src/net/reach.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { startTlsFront, TEST_CA_FILE, type TlsFront } from '../support/tls-front.js';

let front: TlsFront;
let proxy: RecordingProxy;
let route: ProxyRoute;
const ca = readCertificates(TEST_CA_FILE);

beforeAll(async () => {
  // The TLS front only needs something behind it to relay to; the reach check never sends a request.
  front = await startTlsFront(9);
  proxy = await startRecordingProxy({ routes: { 'api.provider.test:443': front.port } });
  const url = new URL(proxy.url);
  route = { url, display: proxy.url };
});

afterAll(async () => {
  await proxy.close();
  await front.close();
});

const target = (extra: Partial<ReachTarget> = {}): ReachTarget => ({ host: 'api.provider.test', port: 443, tls: true, proxy: route, ...extra });
const signal = () => AbortSignal.timeout(5_000);

async function reachError(of: ReachTarget): Promise<ReachError> {
  try {
    await reach(of, signal());
  } catch (error) {
    if (error instanceof ReachError) return error;
    throw error;
  }
  throw new Error('reached');
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('reach behind a proxy', () => {
  it('opens a tunnel and shakes hands with the provider inside it, trusting its `ca`', async () => {
    const reached = await reach(target({ ca }), signal());
    expect(reached).toMatchObject({ proxy: proxy.url, address: 'api.provider.test' });
    expect(reached.tlsMs).toBeGreaterThanOrEqual(0);
    expect(proxy.seen.at(-1)).toMatchObject({ kind: 'connect', target: 'api.provider.test:443' });
  });

  it('fails the TLS step inside the tunnel when the certificate is not trusted', async () => {
    const error = await reachError(target());
    expect(error.phase).toBe('tls');
    expect(error.code).toMatch(/SELF_SIGNED/);
  });

  it('fails the proxy step, with its status, when the proxy refuses the tunnel', async () => {
    const error = await reachError(target({ host: 'blocked.provider.test' }));
    expect(error).toMatchObject({ phase: 'proxy', code: '502' });
    expect(error.message).toBe(`the proxy ${proxy.url} refused to connect to blocked.provider.test:443 (502 Bad Gateway)`);
  });

  it('fails the TCP step, naming the proxy, when the proxy is down', async () => {
    const port = await closedPort();
    const down = { url: new URL(`http://127.0.0.1:${port}`), display: `http://127.0.0.1:${port}` };
    const error = await reachError(target({ proxy: down }));
    expect(error).toMatchObject({ phase: 'tcp', code: 'ECONNREFUSED' });
    expect(error.message).toBe(`cannot reach the proxy http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('checks a plain-http provider only as far as the proxy', async () => {
    const before = proxy.seen.length;
    const reached = await reach(target({ host: 'models.internal', port: 8080, tls: false }), signal());
    expect(reached.proxy).toBe(proxy.url);
    expect(proxy.seen.length).toBe(before);
  });
});

describe('hints behind a proxy', () => {
  const provider = providerSchema.parse({ name: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini' });
  const context: HintContext = { provider, keySource: undefined, target: { host: 'api.openai.com', port: 443, tls: true, proxy: { url: new URL('http://proxy.corp:3128'), display: 'http://proxy.corp:3128' } }, timeoutMs: 5_000 };
  const connection = (message: string) => ({ class: 'retryable' as const, kind: 'connection' as const, message });

  it('points a 403 from the proxy at its allow-list or NO_PROXY', () => {
    expect(hintFor(connection('refused'), { check: 'reach', phase: 'proxy', code: '403' }, context)).toBe(
      'the proxy http://proxy.corp:3128 refused a tunnel to api.openai.com:443 (403) — the proxy may not allow this host; or, if it can be reached directly, add it to NO_PROXY',
    );
  });

  it('blames the proxy settings when the proxy cannot be reached', () => {
    expect(hintFor(connection('cannot reach the proxy http://proxy.corp:3128 (ECONNREFUSED)'), { check: 'reach', phase: 'tcp', code: 'ECONNREFUSED' }, context)).toBe(
      'cannot reach the proxy http://proxy.corp:3128 (ECONNREFUSED) — check HTTPS_PROXY / HTTP_PROXY, or add api.openai.com to NO_PROXY if it can be reached directly',
    );
  });
});
