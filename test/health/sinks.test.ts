import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UnderstudyConfigInput } from '../../src/config/schema.js';
import { clearSecrets } from '../../src/config/secrets.js';
import { pingProviders } from '../../src/health/ping.js';
import { checkSinks } from '../../src/health/sinks.js';
import { closeAll, closedPort, configOf, listeningSink, mockWithKey, secretKey } from './mock-setup.js';

// A webhook's path is its token: these look like real ones, so a leak would be plain to see.
const TOKEN_PATH = '/services/T0AAAAAAA/B0BBBBBBB/xoxb-sink-token-0123456789abcdef';

type SinkInput = NonNullable<UnderstudyConfigInput['alerts']>[number];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'understudy-sinks-'));
});

afterEach(async () => {
  await closeAll();
  clearSecrets();
  await rm(dir, { recursive: true, force: true });
});

/** The sinks as the schema fills them in (defaults for `on`, `timeoutMs`, ...). */
function sinks(...input: SinkInput[]) {
  return configOf({ providers: [{ name: 'p', baseURL: 'http://127.0.0.1:9/v1', model: 'm' }], alerts: input }).alerts;
}

describe('alert sinks in ping', () => {
  it('passes a reachable webhook after connecting to it, and sends it nothing', async () => {
    const server = await listeningSink();
    const [report] = await checkSinks(sinks({ type: 'webhook', url: server.url(TOKEN_PATH) }), { cwd: dir });
    expect(report).toMatchObject({ ok: true, detail: expect.stringMatching(/^127\.0\.0\.1:\d+ accepts TCP connections$/) });
    expect(server.connections).toBeGreaterThanOrEqual(1);
    expect(server.requests).toBe(0);
  });

  it('fails a webhook on a closed port, naming the sink by host only', async () => {
    const port = await closedPort();
    const [report] = await checkSinks(sinks({ type: 'slack', url: `http://127.0.0.1:${port}${TOKEN_PATH}` }), { cwd: dir });
    expect(report).toMatchObject({ sink: `slack 127.0.0.1:${port}`, ok: false, detail: `TCP connection to 127.0.0.1:${port} failed (ECONNREFUSED)` });
    expect(JSON.stringify(report)).not.toContain('xoxb-sink-token');
  });

  it('fails a command sink whose program does not exist, saying where it looked', async () => {
    const [report] = await checkSinks(sinks({ type: 'command', run: './page-oncall.sh' }), { cwd: dir });
    expect(report).toEqual({ sink: 'command ./page-oncall.sh', ok: false, detail: `./page-oncall.sh was not found (looked in ${dir})`, ms: expect.any(Number) });
  });

  it('passes an executable command sink without running it', async () => {
    const script = path.join(dir, 'page-oncall.sh');
    await writeFile(script, `#!/bin/sh\ntouch "${path.join(dir, 'ran')}"\n`);
    await chmod(script, 0o755);
    const [report] = await checkSinks(sinks({ type: 'command', run: './page-oncall.sh' }), { cwd: dir });
    expect(report).toMatchObject({ ok: true, detail: './page-oncall.sh is executable' });
    expect(await readdir(dir)).toEqual(['page-oncall.sh']);
  });

  it('numbers two sinks on one host so they read apart', async () => {
    const server = await listeningSink();
    const reports = await checkSinks(sinks({ type: 'webhook', url: server.url('/a') }, { type: 'webhook', url: server.url('/b') }), { cwd: dir });
    expect(reports.map((report) => report.sink)).toEqual([`webhook ${server.url('/… #1')}`, `webhook ${server.url('/… #2')}`]);
  });

  it('stops waiting on Ctrl-C instead of sitting out the timeout', async () => {
    const controller = new AbortController();
    const never = () => new Promise<{ address: string }>(() => {});
    const pending = checkSinks(sinks({ type: 'webhook', url: 'https://hooks.hang.test/x' }), { cwd: dir, timeoutMs: 600_000, lookup: never, signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject([{ ok: false, detail: 'interrupted' }]);
  });

  it('fails the ping for an unreachable sink even when --require is met', async () => {
    const key = secretKey('sinks');
    const good = await mockWithKey('good', key);
    const port = await closedPort();
    const config = configOf({
      providers: [{ name: 'good', baseURL: good.baseURL, apiKey: key, model: 'gpt-4o-mini' }],
      alerts: [{ type: 'webhook', url: `http://127.0.0.1:${port}/hook` }],
    });
    const report = await pingProviders(config, {}, { require: 1 });
    expect(report).toMatchObject({ ok: false, healthy: 1, required: 1, alerts: [{ ok: false }] });
    // The config's sinks by default; `alerts: []` (--no-alerts) checks none.
    expect(await pingProviders(config, {}, { alerts: [] })).toMatchObject({ ok: true, alerts: [] });
  });
});
