import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { normalizeConfig } from '../../src/config/normalize.js';
import type { UnderstudyConfigInput } from '../../src/config/schema.js';
import { drillAnnotations, drillSummary } from '../../src/drill/report.js';
import { drillCommand } from '../../src/drill/run-command.js';
import { DrillSetupError } from '../../src/drill/runner.js';
import { planScenarios, SCENARIOS, selectScenarios } from '../../src/drill/scenarios/index.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { UsageError } from '../../src/terminal/exit-codes.js';
import { drill, scenario } from './helpers.js';

const FIXTURE = path.resolve('fixtures/drill/tasks.yaml');

/** What a provider that can do the team's work answers, and what a weaker fallback answers. */
const GOOD = JSON.stringify({ severity: 'high', summary: 'Root cause: the disk filled up; impact: writes failed.' });
const WEAK = JSON.stringify({ severity: 'urgent', summary: 'Writes failed.' });

const TASKS: NonNullable<UnderstudyConfigInput['drill']>['tasks'] = [
  {
    name: 'triage',
    prompt: 'Triage this incident as JSON.',
    expect: {
      schema: {
        type: 'object',
        required: ['severity', 'summary'],
        properties: { severity: { enum: ['low', 'high'] }, summary: { type: 'string' } },
      },
    },
  },
  { name: 'summarize-incident', prompt: 'Summarize the incident.', expect: { contains: ['root cause', 'IMPACT'] } },
  { name: 'mentions-disk', prompt: 'What broke?', expect: { matches: 'disk\\s+filled' } },
];

let mocks: MockProvider[] = [];

async function start(backupReply: string | ((request: ChatCompletionCreateParams) => string)): Promise<UnderstudyConfigInput> {
  mocks = await Promise.all([
    startMockProvider({ name: 'main', reply: GOOD, models: ['main-model'] }),
    startMockProvider({ name: 'spare', reply: backupReply, models: ['spare-model'] }),
  ]);
  return {
    providers: [
      { name: 'main', baseURL: mocks[0]!.baseURL, model: 'main-model' },
      { name: 'spare', baseURL: mocks[1]!.baseURL, model: 'spare-model' },
    ],
    drill: { tasks: TASKS },
  };
}

afterEach(async () => {
  await Promise.all(mocks.map((mock) => mock.close()));
  mocks = [];
});

describe('the tasks scenario', () => {
  test('a fallback that can do the work: every task passes on every provider, and the cost is counted', async () => {
    const config = normalizeConfig(await start(GOOD));
    const report = await drill(config, ['tasks']);
    const tasks = scenario(report, 'tasks');

    expect(report.ok, JSON.stringify(tasks.checks)).toBe(true);
    expect(tasks.checks.map((check) => [check.name, check.ok])).toEqual([
      ['triage on main', true],
      ['triage on spare', true],
      ['summarize-incident on main', true],
      ['summarize-incident on spare', true],
      ['mentions-disk on main', true],
      ['mentions-disk on spare', true],
    ]);
    // Every task went to every provider directly: one call each, no failover in between.
    expect(tasks.requests).toEqual({ main: 3, spare: 3 });
    // 1 steady-state call + 3 tasks each.
    expect(mocks.map((mock) => mock.counters.completions)).toEqual([4, 4]);
    expect(tasks.tokens['main']).toBeGreaterThan(0);
    expect(tasks.tokens['spare']).toBe(tasks.tokens['main']);
    expect(tasks.answeredBy).toEqual(['main', 'main', 'main', 'spare', 'spare', 'spare']);
  });

  test('a fallback that cannot: the drill fails naming the task, the provider and why', async () => {
    const config = normalizeConfig(await start(WEAK));
    const report = await drill(config, ['tasks']);
    const tasks = scenario(report, 'tasks');

    expect(report.ok).toBe(false);
    expect(tasks.ok).toBe(false);
    const failed = Object.fromEntries(tasks.checks.filter((check) => !check.ok).map((check) => [check.name, check.detail]));
    expect(Object.keys(failed)).toEqual(['triage on spare', 'summarize-incident on spare', 'mentions-disk on spare']);
    expect(failed['triage on spare']).toMatch(/^schema: \/severity must be equal to one of the allowed values/);
    expect(failed['summarize-incident on spare']).toMatch(/^missing words: 'root cause', 'IMPACT' \(answer: "\{"severity":"urgent"/);
    expect(failed['mentions-disk on spare']).toMatch(/^does not match \/disk\\s\+filled\//);
    // A failing answer still cost tokens: cost is what was spent, not what passed.
    expect(tasks.tokens['spare']).toBeGreaterThan(0);
    expect(tasks.requests).toEqual({ main: 3, spare: 3 });

    expect(drillSummary(report)).toMatch(/^drill FAILED: 1 of 1 scenarios failed \(tasks\)/);
    const [annotation] = drillAnnotations(report);
    expect(annotation?.title).toBe('understudy drill: tasks');
    expect(annotation?.message).toContain("summarize-incident on spare — missing words: 'root cause', 'IMPACT'");
  });

  test('too slow and no answer are reasons too', async () => {
    const config = await start(GOOD);
    // The fallback answers, but after 300 ms; the team needs it within 150.
    await mocks[1]!.setFault({ type: 'slow-first-token', delayMs: 300 });
    const report = await drill(normalizeConfig({ ...config, drill: { tasks: [{ name: 'quick', prompt: 'Quick!', expect: { maxLatencyMs: 150 } }] } }), ['tasks']);
    const [onMain, onSpare] = scenario(report, 'tasks').checks;
    expect(onMain?.ok).toBe(true);
    expect(onSpare).toMatchObject({ name: 'quick on spare', ok: false });
    expect(onSpare?.detail).toMatch(/^too slow: \d+ ms \(max 150 ms\)/);

    // A provider that errors on the task (after passing steady state) says how it failed.
    await mocks[1]!.clearFault();
    const erroring = normalizeConfig({ ...config, drill: { tasks: [{ name: 'long', prompt: 'x', expect: {} }] } });
    const steadyThen503 = drill(erroring, ['tasks'], {
      onProgress: (progress) => {
        if (progress.type === 'steady-state') void mocks[1]!.setFault({ type: 'status', status: 503 });
      },
    });
    const spare = scenario(await steadyThen503, 'tasks').checks[1];
    expect(spare).toMatchObject({ name: 'long on spare', ok: false });
    expect(spare?.detail).toMatch(/^no answer: 503 server error/);
  });

  test('an invalid regular expression is a setup error naming the field, and nothing is sent', async () => {
    const config = await start(GOOD);
    const broken = normalizeConfig({ ...config, drill: { tasks: [TASKS[0]!, { name: 'bad', prompt: 'x', expect: { matches: 'a(b' } }] } });
    const error = await drill(broken, ['tasks']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrillSetupError);
    expect((error as Error).message).toMatch(/^drill\.tasks\[1\]\.expect\.matches \(task bad\) is not a valid regular expression/);
    expect(mocks.map((mock) => mock.counters.completions)).toEqual([0, 0]);
  });

  test('a full drill leaves the tasks scenario out when none are configured; asked for by name, it runs', () => {
    const none = normalizeConfig({ providers: [{ name: 'a', baseURL: 'http://127.0.0.1:1/v1', model: 'm' }] });
    // slowMs too, so the slow-primary and slow-tail scenarios also have something to prove.
    const some = normalizeConfig({ ...none, slowMs: 5_000, drill: { tasks: [{ name: 't', prompt: 'p' }] } });
    const all = selectScenarios([]).scenarios;
    expect(planScenarios(all, none, false).map((s) => s.name)).not.toContain('tasks');
    expect(planScenarios(all, some, false).map((s) => s.name)).toEqual(SCENARIOS.map((s) => s.name));
    expect(planScenarios(selectScenarios(['tasks']).scenarios, none, true).map((s) => s.name)).toEqual(['tasks']);
  });
});

describe('understudy drill --scenario tasks', () => {
  let stdout = '';
  let stderr = '';

  beforeEach(() => {
    vi.stubEnv('GITHUB_ACTIONS', '');
    stdout = '';
    stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  test('the fixture tasks pass on the offline mocks, with cost shown', async () => {
    const code = await drillCommand({ offline: true, config: FIXTURE, scenario: ['tasks'] }, { env: {} });
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/task greet: primary ✓ \d+ ms · backup ✓ \d+ ms/);
    expect(stderr).toMatch(/✓ greet-pattern on backup — answered in \d+ ms, \d+ tokens/);
    expect(stdout).toMatch(/tasks\s+✓ pass\s+primary ×2 → backup ×2/);
    expect(stdout).toMatch(/^tasks cost: primary 2 requests, \d+ tokens · backup 2 requests, \d+ tokens$/m);
  });

  test('asked for with no drill.tasks: skipped with the reason, not passed and not failed', async () => {
    const code = await drillCommand({ offline: true, json: true, scenario: ['tasks'] }, { env: {} });
    expect(code).toBe(0);
    const document = JSON.parse(stdout) as { scenarios: { name: string; skipped?: boolean; checks: { detail: string }[] }[] };
    expect(document.scenarios[0]).toMatchObject({ name: 'tasks', skipped: true });
    expect(document.scenarios[0]!.checks[0]!.detail).toMatch(/no drill\.tasks in the config/);
  });

  test('an invalid regular expression in the config is exit 2 (a usage error)', async () => {
    const config = await start(GOOD);
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-tasks-'));
    try {
      const file = path.join(dir, 'understudy.config.json');
      await writeFile(file, JSON.stringify({ ...config, drill: { tasks: [{ name: 'bad', prompt: 'x', expect: { matches: '[' } }] } }));
      const error = await drillCommand({ config: file, scenario: ['tasks'] }, { env: {}, cwd: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(/drill\.tasks\[0\]\.expect\.matches/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
