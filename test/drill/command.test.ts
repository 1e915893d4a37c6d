import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { UsageError } from '../../src/terminal/exit-codes.js';
import { drillCommand, type DrillCommandOptions } from '../../src/drill/run-command.js';
import { SCENARIOS } from '../../src/drill/scenarios/index.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';

let stdout = '';
let stderr = '';
let dir = '';

beforeEach(async () => {
  // Under GitHub Actions a newly registered secret is announced (raw) with ::add-mask:: on stderr.
  vi.stubEnv('GITHUB_ACTIONS', '');
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-drill-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the command as the CLI would, minus process.exit; no GitHub Actions unless asked. */
function run(options: DrillCommandOptions, env: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
  return drillCommand(options, { env, cwd: dir, ...(signal ? { signal } : {}) });
}

describe('understudy drill --offline', () => {
  test('--json prints exactly one JSON document of the documented shape; --junit counts every check', async () => {
    const junit = path.join(dir, 'reports', 'drill.xml');
    const code = await run({ offline: true, json: true, scenario: ['bad-key', 'bad-request'], junit });

    expect(code).toBe(0);
    const document = JSON.parse(stdout) as {
      ok: boolean;
      scenarios: { name: string; ok: boolean; failoverMs: number | null; recoveryMs: number | null; answeredBy: unknown[]; requests: object; tokens: object; checks: { name: string; ok: boolean; detail: string }[] }[];
    };
    expect(document.ok).toBe(true);
    expect(document.scenarios.map((s) => s.name)).toEqual(['bad-key', 'bad-request']);
    const [badKey] = document.scenarios;
    expect(Object.keys(badKey!).sort()).toEqual(['answeredBy', 'checks', 'failoverMs', 'ms', 'name', 'ok', 'recoveryMs', 'requests', 'tokens']);
    expect(badKey!.answeredBy).toEqual(['backup']);
    expect(badKey!.requests).toEqual({ primary: 1, backup: 1 });
    expect(typeof badKey!.failoverMs).toBe('number');
    expect(badKey!.recoveryMs).toBeNull();
    for (const check of badKey!.checks) expect(Object.keys(check).sort()).toEqual(['detail', 'name', 'ok']);
    // --json: progress stays off stdout (and is not printed at all), only the JUnit note goes to stderr.
    expect(stderr).not.toMatch(/\[1\/2\]/);

    const xml = await readFile(junit, 'utf8');
    const checks = 2 /* steady state */ + document.scenarios.reduce((sum, s) => sum + s.checks.length, 0);
    expect(xml.match(/<testcase /g)).toHaveLength(checks);
    expect(xml).not.toMatch(/<failure/);
    expect(xml).toMatch(/classname="bad-request"/);

    // The offline keys are registered secrets: none reaches any output.
    for (const text of [stdout, stderr, xml]) expect(text).not.toMatch(/sk-offline-/);
  });

  test('plain output: progress lines on stderr, the table and one summary line on stdout', async () => {
    const code = await run({ offline: true, scenario: ['server-error'] });
    expect(code).toBe(0);
    expect(stderr).toMatch(/steady state: ✓ primary answered/);
    expect(stderr).toMatch(/\[1\/1\] server-error/);
    expect(stderr).toMatch(/inject: every completion to the primary answers 503/);
    expect(stderr).toMatch(/primary: ● closed → ○ open/);
    expect(stderr).toMatch(/restore: fault cleared, proxy closed/);
    expect(stdout).toMatch(/scenario\s+verdict\s+answered by\s+failover\s+recovery\s+requests/);
    expect(stdout).toMatch(/server-error\s+✓ pass\s+backup ×2/);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^drill passed: 1\/1 scenarios in /);
  });

  test('--list: one line per scenario, no drill run', async () => {
    expect(await run({ list: true })).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(SCENARIOS.length);
    expect(lines[0]).toMatch(/^bad-key\s+the primary's key is rejected/);
  });

  test('an unknown --scenario is a usage error naming the known ones', async () => {
    const error = await run({ offline: true, scenario: ['bad-key', 'bogus'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/unknown scenario "bogus" \(known: bad-key, bad-url, .*recovery, tasks\)/);
    expect((error as UsageError).tryThis).toBe('understudy drill --list');
  });

  test('a bad --cooldown-ms is a usage error naming the option', async () => {
    await expect(run({ offline: true, cooldownMs: '10s' })).rejects.toThrow(/--cooldown-ms must be a whole number of milliseconds/);
    await expect(run({ offline: true, timeoutMs: '0' })).rejects.toThrow(/--timeout-ms/);
  });

  test('Ctrl-C: the drill stops, cleans up and exits 130', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('interrupted')), 300);
    const code = await run({ offline: true, scenario: ['timeout', 'recovery'], timeoutMs: '5000' }, {}, controller.signal);
    expect(code).toBe(130);
    // The hung call was abandoned at once, not waited out (three 5 s timeouts).
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(stdout).toMatch(/drill interrupted/);
  });
});

describe('understudy drill against a config file', () => {
  let mocks: MockProvider[] = [];
  const keys = { PRIMARY_KEY: 'sk-drill-test-primary-7f3a9c21', BACKUP_KEY: 'sk-drill-test-backup-0b8e44d6' };

  beforeEach(async () => {
    mocks = await Promise.all([
      startMockProvider({ name: 'main', key: keys.PRIMARY_KEY, models: ['main-model'] }),
      startMockProvider({ name: 'spare', key: keys.BACKUP_KEY, models: ['spare-model'] }),
    ]);
    await writeFile(path.join(dir, 'package.json'), '{"name":"app"}');
    await writeFile(
      path.join(dir, 'understudy.config.json'),
      JSON.stringify({
        providers: [
          { name: 'main', baseURL: mocks[0]!.baseURL, apiKey: '${PRIMARY_KEY}', model: 'main-model' },
          { name: 'spare', baseURL: mocks[1]!.baseURL, apiKey: '${BACKUP_KEY}', model: 'spare-model' },
        ],
      }),
    );
  });

  afterEach(async () => {
    await Promise.all(mocks.map((mock) => mock.close()));
  });

  test('passes with keys from the environment, and no key reaches stdout, stderr, JUnit or the step summary', async () => {
    const junit = path.join(dir, 'drill.xml');
    const summary = path.join(dir, 'summary.md');
    const code = await run({ scenario: ['bad-key', 'mid-stream-drop'], junit, github: true }, { ...keys, GITHUB_STEP_SUMMARY: summary });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/mid-stream-drop\s+✓ pass\s+spare/);
    const files = [await readFile(junit, 'utf8'), await readFile(summary, 'utf8')];
    expect(files[1]).toMatch(/\| bad-key \| ✓ pass \| spare \|/);
    for (const text of [stdout, stderr, ...files]) {
      expect(text).not.toContain(keys.PRIMARY_KEY);
      expect(text).not.toContain(keys.BACKUP_KEY);
    }
  });

  test('a fallback whose key is rejected: exit 1 at steady state, GitHub annotation, nothing injected', async () => {
    await mocks[1]!.setFault({ type: 'status', status: 401 });
    const junit = path.join(dir, 'drill.xml');
    const code = await run({ junit }, { ...keys, GITHUB_ACTIONS: 'true' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/drill FAILED at steady state: spare did not answer: 401 key rejected.*nothing was injected/);
    expect(stderr).toMatch(/::error title=understudy drill%3A steady state::spare did not answer: 401/);
    const xml = await readFile(junit, 'utf8');
    expect(xml.match(/<failure/g)).toHaveLength(1);
    expect(mocks[0]!.counters.faults).toBe(0);
    expect(mocks[0]!.counters.completions).toBe(1);
  });

  test('a config with one provider: usage error, a drill needs a fallback', async () => {
    await writeFile(
      path.join(dir, 'understudy.config.json'),
      JSON.stringify({ providers: [{ name: 'main', baseURL: mocks[0]!.baseURL, apiKey: '${PRIMARY_KEY}', model: 'main-model' }] }),
    );
    const error = await run({}, keys).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/a drill needs a fallback/);
  });
});
