import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { ensureBuilt, runCli } from '../support/cli.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { startTlsFront, TEST_CA_FILE, type TlsFront } from '../support/tls-front.js';

const KEY = 'sk-cli-tls-0123456789';
const PROXY_PASSWORD = 'cli-proxy-pw-42';
// Whatever this machine has set must not decide these runs.
const CLEAN_ENV = { HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', ALL_PROXY: '', all_proxy: '', NO_PROXY: '', no_proxy: '', NODE_EXTRA_CA_CERTS: '' };

let mock: MockProvider;
let front: TlsFront;
let proxy: RecordingProxy;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  mock = await startMockProvider({ name: 'internal', key: KEY, models: ['internal-model'] });
  front = await startTlsFront(mock.port);
  proxy = await startRecordingProxy({
    routes: { 'api.provider.test:443': front.port },
    requireAuthorization: `Basic ${Buffer.from(`team:${PROXY_PASSWORD}`).toString('base64')}`,
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-tls-'));
});

afterAll(async () => {
  await proxy.close();
  await front.close();
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

/** A one-provider config; returns its path. */
async function config(name: string, provider: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify({ providers: [{ name: 'internal', apiKey: KEY, model: 'internal-model', ...provider }] }));
  return file;
}

const ping = (file: string, env: NodeJS.ProcessEnv) => runCli(['ping', '--config', file, '--json'], { ...CLEAN_ENV, ...env });

describe('the built CLI and a provider whose certificate a private CA signed', () => {
  it('fails ping without the CA, with a hint to set `ca` or NODE_EXTRA_CA_CERTS', async () => {
    const result = await ping(await config('no-ca', { baseURL: `https://127.0.0.1:${front.port}/v1` }), {});
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout).providers[0];
    expect(report.checks[0]).toMatchObject({ name: 'reach', ok: false });
    expect(report.error.hint).toMatch(/set the provider's `ca` to that CA's PEM file \(or NODE_EXTRA_CA_CERTS/);
  });

  it('passes ping with NODE_EXTRA_CA_CERTS (read by Node at start-up)', async () => {
    const result = await ping(await config('extra-ca', { baseURL: `https://127.0.0.1:${front.port}/v1` }), { NODE_EXTRA_CA_CERTS: TEST_CA_FILE });
    expect(JSON.parse(result.stdout).providers[0].checks.map((check: { ok: boolean }) => check.ok)).toEqual([true, true, true, true]);
    expect(result.code).toBe(0);
  });

  it('passes ping with the provider `ca`, reach included', async () => {
    const result = await ping(await config('ca', { baseURL: `https://127.0.0.1:${front.port}/v1`, ca: TEST_CA_FILE }), {});
    expect(result.code).toBe(0);
  });

  it('answers `run` through HTTPS_PROXY, and never prints the proxy password', async () => {
    const file = await config('proxied', { baseURL: 'https://api.provider.test/v1', ca: TEST_CA_FILE });
    const before = proxy.seen.length;
    const result = await runCli(['run', '--config', file, 'hello'], { ...CLEAN_ENV, HTTPS_PROXY: `http://team:${PROXY_PASSWORD}@${proxy.url.slice('http://'.length)}` });
    expect(result.stdout).toMatch(/Hello from internal/);
    expect(result.code).toBe(0);
    expect(proxy.seen.slice(before).every((seen) => seen.kind === 'connect' && seen.target === 'api.provider.test:443')).toBe(true);
    expect(result.stdout + result.stderr).not.toContain(PROXY_PASSWORD);
  });

  it('pings through the proxy; a refused password is a proxy hint that never prints it', async () => {
    const file = await config('proxied-ping', { baseURL: 'https://api.provider.test/v1', ca: TEST_CA_FILE });
    const good = await ping(file, { HTTPS_PROXY: `http://team:${PROXY_PASSWORD}@${proxy.url.slice('http://'.length)}` });
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout).providers[0].checks[0].detail).toBe(`the proxy ${proxy.url} accepts a tunnel for api.provider.test:443, TLS ok`);

    const wrong = 'wrong-cli-proxy-pw';
    const bad = await ping(file, { HTTPS_PROXY: `http://team:${wrong}@${proxy.url.slice('http://'.length)}` });
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout).providers[0];
    expect(report.checks[0]).toMatchObject({ name: 'reach', ok: false });
    expect(report.error.hint).toBe(
      `the proxy ${proxy.url} refused a tunnel to api.provider.test:443 (407) — check the user and password in the proxy URL (HTTPS_PROXY)`,
    );
    expect(bad.stdout + bad.stderr).not.toContain(wrong);
  });

  it('stops with a usage error naming the variable, without a stack or the password, when the proxy URL is unusable', async () => {
    const file = await config('bad-proxy', { baseURL: 'https://api.provider.test/v1' });
    const result = await ping(file, { HTTPS_PROXY: `socks5://team:${PROXY_PASSWORD}@127.0.0.1:1080` });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HTTPS_PROXY (environment): socks5 proxies are not supported (http:// or https:// only)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout + result.stderr).not.toContain(PROXY_PASSWORD);
  });
});
