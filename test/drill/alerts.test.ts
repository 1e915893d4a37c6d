import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { closedPortBaseURL } from '../../src/drill/closed-port.js';
import { drillCommand, type DrillCommandOptions } from '../../src/drill/run-command.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';

/** A webhook path that carries a token, as Slack-style URLs do: it must never be printed. */
const HOOK_PATH = '/hooks/T0DRILL/B0DRILL/drill-token-4e9b1c7a52f0d83e';
const TOKEN = 'drill-token-4e9b1c7a52f0d83e';
const keys = { PRIMARY_KEY: 'sk-alerts-test-primary-5c1d', BACKUP_KEY: 'sk-alerts-test-backup-9e2f' };

/** A webhook receiver on 127.0.0.1 that keeps every JSON body it is sent. */
interface Receiver {
  readonly url: string;
  readonly bodies: Record<string, unknown>[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      if (req.url === HOOK_PATH) bodies.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(req.url === HOOK_PATH ? 200 : 404).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}${HOOK_PATH}`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let stdout = '';
let stderr = '';
let dir = '';
let mocks: MockProvider[] = [];
let receiver: Receiver;

beforeEach(async () => {
  vi.stubEnv('GITHUB_ACTIONS', '');
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-drill-alerts-'));
  mocks = await Promise.all([
    startMockProvider({ name: 'main', key: keys.PRIMARY_KEY, models: ['main-model'] }),
    startMockProvider({ name: 'spare', key: keys.BACKUP_KEY, models: ['spare-model'] }),
  ]);
  receiver = await startReceiver();
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await Promise.all([...mocks.map((mock) => mock.close()), receiver.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** A config over the two mocks with these alert sink URLs (webhooks, no retries so a dead one fails fast). */
async function writeConfig(...urls: string[]): Promise<void> {
  await writeFile(path.join(dir, 'package.json'), '{"name":"app"}');
  await writeFile(
    path.join(dir, 'understudy.config.json'),
    JSON.stringify({
      providers: [
        { name: 'main', baseURL: mocks[0]!.baseURL, apiKey: '${PRIMARY_KEY}', model: 'main-model' },
        { name: 'spare', baseURL: mocks[1]!.baseURL, apiKey: '${BACKUP_KEY}', model: 'spare-model' },
      ],
      alerts: urls.map((url) => ({ type: 'webhook', url, retries: 0, timeoutMs: 2_000 })),
    }),
  );
}

function run(options: DrillCommandOptions, env: NodeJS.ProcessEnv = {}) {
  return drillCommand(options, { env: { ...keys, ...env }, cwd: dir });
}

interface JsonReport {
  ok: boolean;
  scenarios: { name: string; ok: boolean }[];
  alerts: { sink: string; ok: boolean; ms: number; error: string | null }[];
}

describe('understudy drill drills the alert sinks too', () => {
  test('each sink gets exactly one alert marked as a drill, and the report says it was delivered', async () => {
    await writeConfig(receiver.url);
    const junit = path.join(dir, 'drill.xml');
    const code = await run({ json: true, scenario: ['bad-key', 'server-error'], junit });

    expect(code, stderr).toBe(0);
    // One alert per run, although the scenarios failed over and opened breakers: the scenario engines page nobody.
    expect(receiver.bodies).toHaveLength(1);
    expect(receiver.bodies[0]).toMatchObject({ drill: true });
    const document = JSON.parse(stdout) as JsonReport;
    expect(document.ok).toBe(true);
    const port = new URL(receiver.url).port;
    expect(document.alerts).toEqual([{ sink: `webhook http://127.0.0.1:${port}/…`, ok: true, ms: expect.any(Number) as number, error: null }]);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/classname="alerts" name="webhook http:\/\/127\.0\.0\.1:\d+\/… takes a drill alert"/);
    for (const text of [stdout, stderr, xml]) {
      expect(text).not.toContain(HOOK_PATH);
      expect(text).not.toContain(TOKEN);
    }
  });

  test('a sink that cannot be reached fails the drill (exit 1) naming the sink, while every scenario passes', async () => {
    const dead = `${(await closedPortBaseURL()).replace(/\/v1$/, '')}${HOOK_PATH}`;
    const deadLabel = `webhook ${new URL(dead).origin}/…`;
    await writeConfig(receiver.url, dead);
    const junit = path.join(dir, 'drill.xml');
    const summary = path.join(dir, 'summary.md');
    const code = await run({ scenario: ['bad-key'], junit }, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });

    expect(code).toBe(1);
    expect(stdout).toMatch(/bad-key\s+✓ pass/);
    expect(stdout).toMatch(/✗ FAIL\s+not delivered: /);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^drill FAILED: 1 of 2 alert sinks not reached \(webhook http:\/\/127\.0\.0\.1:\d+\/…\) in /);
    expect(stdout.trim().split('\n').at(-1)).toContain(deadLabel);
    expect(stderr).toMatch(/::error title=understudy drill%3A alert sink webhook http%3A\/\/127\.0\.0\.1%3A\d+\/…::/);
    const xml = await readFile(junit, 'utf8');
    expect(xml.match(/<failure/g)).toHaveLength(1);
    expect(xml).toMatch(/classname="alerts"[^>]*>\s*<failure/);
    const markdown = await readFile(summary, 'utf8');
    expect(markdown).toContain(`| ${deadLabel} | ✗ FAIL |`);
    // The live sink still got its one alert.
    expect(receiver.bodies).toHaveLength(1);
    for (const text of [stdout, stderr, xml, markdown]) expect(text).not.toContain(TOKEN);

    // The same in --json: every scenario ok, the dead sink named with its error.
    stdout = '';
    expect(await run({ scenario: ['bad-key'], json: true })).toBe(1);
    const document = JSON.parse(stdout) as JsonReport;
    expect(document.ok).toBe(false);
    expect(document.scenarios.every((scenario) => scenario.ok)).toBe(true);
    expect(document.alerts.map((alert) => [alert.sink, alert.ok])).toEqual([
      [`webhook ${new URL(receiver.url).origin}/…`, true],
      [deadLabel, false],
    ]);
    expect(document.alerts[1]!.error).toMatch(/refused|ECONNREFUSED|fetch failed/i);
    expect(stdout).not.toContain(TOKEN);
  });

  test('--no-alerts sends nothing and reports no alerts', async () => {
    await writeConfig(receiver.url);
    const code = await run({ scenario: ['bad-request'], json: true, alerts: false });
    expect(code).toBe(0);
    expect(receiver.bodies).toHaveLength(0);
    expect((JSON.parse(stdout) as JsonReport).alerts).toEqual([]);
  });

  test('a failed steady state still says whether the alerts work', async () => {
    await writeConfig(receiver.url);
    await mocks[1]!.setFault({ type: 'status', status: 401 });
    const code = await run({ json: true });
    expect(code).toBe(1);
    const document = JSON.parse(stdout) as JsonReport;
    expect(document.scenarios).toEqual([]);
    expect(document.alerts.map((alert) => alert.ok)).toEqual([true]);
    expect(receiver.bodies).toHaveLength(1);
  });

  test('no sinks configured: one dim line, nothing drilled', async () => {
    await writeConfig();
    expect(await run({ scenario: ['bad-request'] })).toBe(0);
    expect(stderr).toMatch(/no alert sinks configured/);
    expect(stdout).not.toMatch(/alert sink/);
  });
});
