import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/commands/action.js';
import { ExitCode } from '../../src/terminal/exit-codes.js';
import { clearSecrets } from '../../src/config/secrets.js';
import { runPing, type PingCommandOptions } from '../../src/health/command.js';
import { makeTempProject, type TempProject } from '../config/temp-project.js';
import { count, xmlProblems } from '../report/xml-check.js';
import { closeAll, closedPort, mockWithKey } from './mock-setup.js';

// `runPing` is what `understudy ping` runs once commander has parsed the options: these tests
// drive it in-process with a real config file over mock providers and read what it prints.

const KEY = 'sk-cmd-test-abcdefghijklmnop-x7Qa';
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

function ping(configPath: string, options: Partial<PingCommandOptions> = {}): Promise<number> {
  return runPing({ config: configPath, provider: [], completion: true, ...options });
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

  it('--offline pings the built-in mock providers', async () => {
    expect(await runPing({ provider: [], completion: true, offline: true, stream: true })).toBe(ExitCode.ok);
    expect(stdout).toMatch(/^primary\s+primary-model\s+✓ ok/m);
    expect(stdout).toContain('2 of 2 providers healthy — ok');
  });
});
