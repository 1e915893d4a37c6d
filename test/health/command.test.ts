import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/commands/action.js';
import { ExitCode } from '../../src/terminal/exit-codes.js';
import { clearSecrets } from '../../src/config/secrets.js';
import { runPing, type PingCommandOptions } from '../../src/health/command.js';
import { makeTempProject, type TempProject } from '../config/temp-project.js';
import { count, xmlProblems } from '../report/xml-check.js';
import { closeAll, closedPort, listeningSink, mockWithKey } from './mock-setup.js';

// `runPing` is what `understudy ping` runs once commander has parsed the options: these tests
// drive it in-process with a real config file over mock providers and read what it prints.

const KEY = 'sk-cmd-test-abcdefghijklmnop-x7Qa';
const KEY2 = 'sk-cmd-test-qrstuvwxyz012345-y8Rb';
// A webhook's path is its token (Slack's are): none of it may reach any output.
const TOKEN = 'xoxb-sink-token-0123456789abcdef';
const TOKEN_PATH = `/services/T0AAAAAAA/B0BBBBBBB/${TOKEN}`;
let project: TempProject;
let stdout: string;
let stderr: string;

beforeEach(async () => {
  project = await makeTempProject();
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => ((stderr += String(chunk)), true));
  vi.stubEnv('GITHUB_ACTIONS', '');
  vi.stubEnv('PING_TEST_KEY', KEY);
  vi.stubEnv('PING_TEST_KEY2', KEY2);
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await closeAll();
  await project.remove();
  clearSecrets();
});

/** A config file with a healthy provider `good` and, optionally, a dead one; the key comes from PING_TEST_KEY. */
async function writeConfig(options: { dead?: boolean; keyFor?: string } = {}): Promise<string> {
  const mock = await mockWithKey('good', options.keyFor ?? KEY);
  const providers: object[] = [{ name: 'good', baseURL: mock.baseURL, apiKey: '${PING_TEST_KEY}', model: 'gpt-4o-mini' }];
  if (options.dead) providers.push({ name: 'dead', baseURL: `http://127.0.0.1:${await closedPort()}/v1`, model: 'gpt-4o-mini' });
  return project.write('understudy.config.json', JSON.stringify({ timeoutMs: 2_000, providers }));
}

/** A config with the healthy provider `good` and `alerts`; the sink URLs are written literally. */
async function writeConfigWithSinks(alerts: object[]): Promise<string> {
  const mock = await mockWithKey('good', KEY);
  const providers = [{ name: 'good', baseURL: mock.baseURL, apiKey: '${PING_TEST_KEY}', model: 'gpt-4o-mini' }];
  return project.write('understudy.config.json', JSON.stringify({ timeoutMs: 2_000, providers, alerts }));
}

/**
 * Two healthy providers. `weak`: both on one mock (one host, so one key too) and a breaker
 * threshold of 1, which warns three times; otherwise two mocks with a key each, which warns never.
 */
async function writeTwoProviders(options: { weak: boolean }): Promise<string> {
  const a = await mockWithKey('a', KEY);
  const b = options.weak ? a : await mockWithKey('b', KEY2);
  const providers = [
    { name: 'a', baseURL: a.baseURL, apiKey: '${PING_TEST_KEY}', model: 'gpt-4o-mini' },
    { name: 'b', baseURL: b.baseURL, apiKey: options.weak ? '${PING_TEST_KEY}' : '${PING_TEST_KEY2}', model: 'gpt-4o-mini' },
  ];
  const breaker = options.weak ? { breaker: { failureThreshold: 1 } } : {};
  return project.write('understudy.config.json', JSON.stringify({ timeoutMs: 2_000, ...breaker, providers }));
}

function ping(configPath: string, options: Partial<PingCommandOptions> = {}): Promise<number> {
  return runPing({ config: configPath, provider: [], completion: true, ...options });
}

/** stderr less its `::add-mask::` lines, which must carry the secret so that Actions masks it. */
function withoutAddMask(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** The exit code runAction would give for what `promise` throws. */
async function exitCodeOf(promise: Promise<number>): Promise<number> {
  try {
    return await promise;
  } catch (error) {
    return reportError(error);
  }
}

describe('understudy ping', () => {
  it('exits 0 with the table on stdout and only progress on stderr when every provider passes', async () => {
    const config = await writeConfig();
    expect(await ping(config)).toBe(ExitCode.ok);
    expect(stdout).toMatch(/^PROVIDER\s+MODEL/);
    expect(stdout).toContain('1 of 1 provider healthy — ok');
    expect(stderr.trimEnd().split('\n')).toEqual([
      'warning: providers: one provider: there is nothing to fail over to',
      'pinging 1 provider…',
      expect.stringMatching(/^ {2}✓ good \d+ ms$/),
    ]);
  });

  it('exits 1 when a provider fails, and names the env variable the rejected key came from', async () => {
    const config = await writeConfig({ keyFor: 'sk-some-other-key-0000000000' });
    expect(await ping(config)).toBe(ExitCode.problem);
    expect(stdout).toContain('401: the key in PING_TEST_KEY was rejected (ends …x7Qa)');
    expect(stdout + stderr).not.toContain(KEY);
  });

  it('--json prints exactly one JSON document on stdout', async () => {
    const config = await writeConfig({ dead: true });
    expect(await ping(config, { json: true })).toBe(ExitCode.problem);
    const document = JSON.parse(stdout) as { ok: boolean; providers: { name: string; ok: boolean }[] };
    expect(document.ok).toBe(false);
    expect(document.providers.map(({ name, ok }) => ({ name, ok }))).toEqual([
      { name: 'good', ok: true },
      { name: 'dead', ok: false },
    ]);
    expect(stdout).not.toContain(KEY);
  });

  it('--require 1 passes a list with one dead member', async () => {
    const config = await writeConfig({ dead: true });
    expect(await ping(config, { require: '1' })).toBe(ExitCode.ok);
    expect(stdout).toContain('1 of 2 providers healthy (1 required) — ok');
  });

  it('--provider pings a subset', async () => {
    const config = await writeConfig({ dead: true });
    expect(await ping(config, { provider: ['good'] })).toBe(ExitCode.ok);
    expect(stdout).not.toMatch(/^dead/m);
  });

  it('--junit writes a well-formed report, masked', async () => {
    const config = await writeConfig({ dead: true });
    const file = path.join(project.root, 'reports', 'ping.xml');
    expect(await ping(config, { junit: file })).toBe(ExitCode.problem);
    const xml = readFileSync(file, 'utf8');
    expect(xmlProblems(xml)).toEqual([]);
    expect(count(xml, '<testcase ')).toBe(8);
    expect(count(xml, '<failure ')).toBe(1);
    expect(xml).not.toContain(KEY);
    expect(stderr).toContain(`JUnit report written to ${file}`);
  });

  it('under GitHub Actions: ::error annotations on stderr and the step summary appended', async () => {
    const config = await writeConfig({ dead: true });
    const summary = path.join(project.root, 'summary.md');
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    expect(await ping(config, { json: true })).toBe(ExitCode.problem);
    JSON.parse(stdout); // still one document
    expect(count(stderr, '::error title=understudy ping%3A dead failed::connection refused at 127.0.0.1:')).toBe(1);
    expect(readFileSync(summary, 'utf8')).toContain('| dead | gpt-4o-mini | ❌ reach failed |');
  });

  it('exits 2 naming the known providers for an unknown --provider', async () => {
    const config = await writeConfig();
    expect(await exitCodeOf(ping(config, { provider: ['nope'] }))).toBe(ExitCode.usage);
    expect(stderr).toContain('understudy: --provider: unknown provider "nope"; the config has good');
  });

  it('exits 2 for a bad --timeout, an impossible --require, and --offline with --config', async () => {
    const config = await writeConfig();
    expect(await exitCodeOf(ping(config, { timeout: '2s' }))).toBe(ExitCode.usage);
    expect(stderr).toContain('--timeout must be a whole number from 1 to 3600000, not "2s"');
    expect(await exitCodeOf(ping(config, { require: '2' }))).toBe(ExitCode.usage);
    expect(stderr).toContain('--require 2 asks for more healthy providers than are pinged (1)');
    expect(await exitCodeOf(ping(config, { offline: true }))).toBe(ExitCode.usage);
    expect(stderr).not.toContain('    at '); // no stack
  });

  it('exits 2 for a config error, without a stack', async () => {
    const config = await project.write('understudy.config.json', JSON.stringify({ providers: [{ name: 'x', model: 'm', baseURL: 'http://127.0.0.1:9/v1', colour: 'red' }] }));
    expect(await exitCodeOf(ping(config))).toBe(ExitCode.usage);
    expect(stderr).toContain('providers[0].colour: unknown field');
    expect(stderr).not.toContain('    at ');
  });

  it('--offline pings the built-in mock providers and says first that it is the offline demo', async () => {
    expect(await runPing({ provider: [], completion: true, offline: true, stream: true })).toBe(ExitCode.ok);
    expect(stderr).toMatch(/^offline demo: mock providers primary and backup on 127\.0\.0\.1\n/);
    expect(stdout).toMatch(/^primary\s+primary-model\s+✓ ok/m);
    expect(stdout).toContain('2 of 2 providers healthy — ok');
  });
});

describe('understudy ping: alert sinks', () => {
  it('checks every sink without sending, and exits 1 naming the ones that fail, even with --require', async () => {
    const server = await listeningSink();
    const port = await closedPort();
    const config = await writeConfigWithSinks([
      { type: 'webhook', url: server.url(TOKEN_PATH) },
      { type: 'slack', url: `http://127.0.0.1:${port}${TOKEN_PATH}` },
      { type: 'command', run: './page-oncall.sh' },
    ]);
    expect(await ping(config, { require: '1' })).toBe(ExitCode.problem);
    expect(server.connections).toBeGreaterThanOrEqual(1);
    expect(server.requests).toBe(0);
    expect(stdout).toMatch(/^ALERT SINK\s+RESULT\s+DETAIL$/m);
    expect(stdout).toMatch(new RegExp(`^webhook http://127\\.0\\.0\\.1:\\d+/…\\s+✓ ok\\s+127\\.0\\.0\\.1:\\d+ accepts TCP connections$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^slack 127\\.0\\.0\\.1:${port}\\s+✗ fail\\s+TCP connection to 127\\.0\\.0\\.1:${port} failed \\(ECONNREFUSED\\)$`, 'm'));
    expect(stdout).toContain(`./page-oncall.sh was not found (looked in ${project.root})`);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('✗ 1 of 1 provider healthy, 1 of 3 alert sinks reachable — failed');
    expect(stderr).toContain('pinging 1 provider and 3 alert sinks…');
    expect(stderr).toContain(`✗ alert sink slack 127.0.0.1:${port}: TCP connection to 127.0.0.1:${port} failed (ECONNREFUSED)`);
  });

  it('no sink URL path or token appears in --json, JUnit, annotations or the step summary', async () => {
    const server = await listeningSink();
    const port = await closedPort();
    const config = await writeConfigWithSinks([
      { type: 'webhook', url: server.url(TOKEN_PATH) },
      { type: 'slack', url: `http://127.0.0.1:${port}${TOKEN_PATH}` },
    ]);
    const junit = path.join(project.root, 'ping.xml');
    const summary = path.join(project.root, 'summary.md');
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    expect(await ping(config, { json: true, junit })).toBe(ExitCode.problem);
    const document = JSON.parse(stdout) as { ok: boolean; alerts: object[] };
    expect(document.ok).toBe(false);
    expect(document.alerts).toEqual([
      { sink: server.url('/…').replace(/^/, 'webhook '), ok: true, detail: expect.stringContaining('accepts TCP connections') },
      { sink: `slack 127.0.0.1:${port}`, ok: false, detail: `TCP connection to 127.0.0.1:${port} failed (ECONNREFUSED)` },
    ]);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(`<testcase classname="alert sinks" name="slack 127.0.0.1:${port}"`);
    expect(stderr).toContain(`::error title=understudy ping%3A alert sink slack 127.0.0.1%3A${port} failed::`);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('**Alert sinks**');
    for (const text of [stdout, withoutAddMask(stderr), xml, markdown]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('/services/');
      expect(text).not.toContain('T0AAAAAAA');
    }
  });

  it('with no sinks shows no sink section and "alerts": []; --no-alerts skips the check', async () => {
    const port = await closedPort();
    const config = await writeConfigWithSinks([{ type: 'webhook', url: `http://127.0.0.1:${port}/hook` }]);
    expect(await ping(config, { alerts: false })).toBe(ExitCode.ok);
    expect(stdout).not.toContain('ALERT SINK');
    expect(stderr).toContain('pinging 1 provider…');
    stdout = '';
    expect(await ping(await writeConfig(), { json: true })).toBe(ExitCode.ok);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, alerts: [] });
  });
});

describe('understudy ping --strict', () => {
  it('reports config warnings in --json without changing the exit code', async () => {
    const config = await writeTwoProviders({ weak: true });
    expect(await ping(config, { json: true })).toBe(ExitCode.ok);
    const document = JSON.parse(stdout) as { ok: boolean; strict: boolean; warnings: { code: string; path: string; message: string }[] };
    expect(document).toMatchObject({ ok: true, strict: false });
    expect(document.warnings.map(({ code, path }) => `${code} ${path}`)).toEqual([
      'shared-host providers[1].baseURL',
      'shared-key providers[1].apiKey',
      'hair-trigger-breaker breaker.failureThreshold',
    ]);
    expect(document.warnings[0]!.message).toMatch(/^a and b are the same host \(127\.0\.0\.1:\d+\): one outage takes both$/);
    expect(stdout).not.toContain(KEY);
  });

  it('exits 1 under --strict, naming each warning in the table and the verdict', async () => {
    const config = await writeTwoProviders({ weak: true });
    expect(await ping(config, { strict: true })).toBe(ExitCode.problem);
    expect(stdout).toMatch(/^CONFIG\s+RESULT\s+WARNING$/m);
    expect(stdout).toMatch(/^providers\[1\]\.baseURL\s+✗ fail\s+a and b are the same host/m);
    expect(stdout).toMatch(/^providers\[1\]\.apiKey\s+✗ fail\s+a and b use the same key/m);
    expect(stdout).toMatch(/^breaker\.failureThreshold\s+✗ fail\s+a threshold of 1 opens the breaker/m);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('✗ 2 of 2 providers healthy, 3 config warnings (--strict) — failed');
  });

  it('under --strict the warnings are JUnit failures and ::error annotations', async () => {
    const config = await writeTwoProviders({ weak: true });
    const junit = path.join(project.root, 'ping.xml');
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    expect(await ping(config, { strict: true, json: true, junit })).toBe(ExitCode.problem);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, strict: true });
    const xml = readFileSync(junit, 'utf8');
    expect(xmlProblems(xml)).toEqual([]);
    expect(count(xml, 'type="config-warning"')).toBe(3);
    expect(count(xml, '<failure ')).toBe(3);
    expect(count(stderr, '::error title=understudy ping%3A config ')).toBe(3);
    expect(xml + withoutAddMask(stderr)).not.toContain(KEY);
  });

  it('passes a config with no warnings under --strict', async () => {
    const config = await writeTwoProviders({ weak: false });
    expect(await ping(config, { strict: true })).toBe(ExitCode.ok);
    expect(stdout).not.toContain('CONFIG');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('✓ 2 of 2 providers healthy, no config warnings (--strict) — ok');
  });
});
