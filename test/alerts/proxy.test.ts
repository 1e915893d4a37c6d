import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { alertSinkSchema } from '../../src/config/schema.js';
import { checkSinkReachable } from '../../src/alerts/reachability.js';
import { postJson } from '../../src/alerts/sinks/post-json.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];
// A reserved name: only the proxy knows where it is.
const HOOK = 'http://hooks.example.test:8080/services/T0/B0/hook-token';

let receiver: Server;
const received: string[] = [];
let proxy: RecordingProxy;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (part: Buffer) => (body += part.toString()));
    req.on('end', () => {
      received.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  proxy = await startRecordingProxy({ routes: { 'hooks.example.test:8080': (receiver.address() as AddressInfo).port } });
});

afterAll(async () => {
  await proxy.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(() => {
  for (const name of PROXY_VARIABLES) vi.stubEnv(name, '');
  vi.stubEnv('HTTP_PROXY', proxy.url);
  return () => vi.unstubAllEnvs();
});

describe('alert sinks behind HTTP_PROXY', () => {
  it('deliver a webhook through the proxy', async () => {
    await postJson(HOOK, { text: 'failover' }, { timeoutMs: 5_000 });
    expect(received.at(-1)).toBe('{"text":"failover"}');
    expect(proxy.seen.at(-1)).toMatchObject({ kind: 'forward', target: HOOK });
  });

  it('are checked for reachability through the proxy', async () => {
    const sink = alertSinkSchema.parse({ type: 'webhook', url: HOOK });
    const result = await checkSinkReachable(sink, 5_000);
    expect(result).toMatchObject({ ok: true, detail: `hooks.example.test:8080 accepts TCP connections through the proxy ${proxy.url}` });
  });
});
