import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { drillCommand, type DrillCommandOptions } from '../../src/drill/run-command.js';
import { historyRecordSchema } from '../../src/history/record.js';
import { reportCommand } from '../../src/history/report-command.js';
import { UsageError } from '../../src/terminal/exit-codes.js';

let stdout = '';
let stderr = '';
let dir = '';

beforeEach(async () => {
  vi.stubEnv('GITHUB_ACTIONS', '');
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-history-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

const drill = (options: DrillCommandOptions) => drillCommand({ offline: true, ...options }, { env: {}, cwd: dir, progress: () => {} });

/** Reads the report's stdout, clearing it for the next command. */
function takeStdout(): string {
  const text = stdout;
  stdout = '';
  return text;
}

/** A config whose engine settings break server-error: a 503 classified fatal is never failed over. */
async function fatal503Config(): Promise<string> {
  const file = path.join(dir, 'fatal-503.yaml');
  await writeFile(file, 'providers:\n  - { name: a, baseURL: "http://127.0.0.1:9/v1", model: m, apiKey: x }\n  - { name: b, baseURL: "http://127.0.0.1:9/v1", model: m, apiKey: x }\nclassify: { "503": fatal }\n');
  return file;
}

describe('drill --history, then understudy report', () => {
  test('each drill appends one valid line of verdicts and timings, and no key; the report shows the trend per scenario', async () => {
    const history = path.join(dir, 'ci', 'drill-history.jsonl');
    expect(await drill({ scenario: ['bad-key', 'server-error'], history })).toBe(0);
    expect(await drill({ scenario: ['bad-key', 'server-error'], history, config: await fatal503Config() })).toBe(1);

    const text = await readFile(history, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((line) => historyRecordSchema.parse(JSON.parse(line)));
    expect(first).toMatchObject({ v: 1, ok: true, offline: true, providers: ['primary', 'backup'], steadyState: true, alerts: { sinks: 0, reached: 0 } });
    expect(first!.scenarios.map((scenario) => [scenario.name, scenario.ok])).toEqual([['bad-key', true], ['server-error', true]]);
    expect(first!.scenarios[0]!.failoverMs).toEqual(expect.any(Number));
    expect(second!.ok).toBe(false);
    expect(second!.scenarios.map((scenario) => [scenario.name, scenario.ok, scenario.failoverMs])).toEqual([['bad-key', true, expect.any(Number)], ['server-error', false, null]]);
    expect(text).not.toMatch(/sk-offline-/);
    expect(stderr).toContain(`drill history: this run appended to ${history}`);
    takeStdout();

    expect(await reportCommand(history, {})).toBe(0);
    const table = takeStdout();
    expect(table).toMatch(/^scenario\s+runs\s+pass rate\s+failover p50\s+p95\s+recovery p50\s+p95\s+failover trend\s+last run \(UTC\)$/m);
    expect(table).toMatch(/^steady state\s+2\s+100% \(2\/2\)/m);
    expect(table).toMatch(/^bad-key\s+2\s+100% \(2\/2\)\s+\d+ ms\s+\d+ ms\s+—\s+—/m);
    expect(table).toMatch(/^server-error\s+2\s+50% \(1\/2\)\s+\d+ ms .*✗ \d{4}-\d\d-\d\d \d\d:\d\d$/m);
    expect(table).toMatch(/^2 runs from .* UTC · .*drill-history\.jsonl$/m);
    expect(table).toMatch(/^server-error failed 1 of its last 2 runs, the latest among them$/m);

    expect(await reportCommand(history, { json: true, last: '1' })).toBe(0);
    const document = JSON.parse(takeStdout()) as { runs: number; window: { last: number; runs: number }; scenarios: { name: string; runs: number; passRate: number }[]; problems: unknown[] };
    expect(document.runs).toBe(2);
    expect(document.window).toMatchObject({ last: 1, runs: 1, providerLists: [['primary', 'backup']], offlineRuns: 1 });
    expect(document.scenarios.map((scenario) => [scenario.name, scenario.runs, scenario.passRate])).toEqual([['steady state', 1, 1], ['bad-key', 1, 1], ['server-error', 1, 0]]);
    expect(document.problems).toEqual([]);
  });

  test('a bad line is named with file and line number and left out; the rest still count (exit 1)', async () => {
    const history = path.join(dir, 'history.jsonl');
    expect(await drill({ scenario: ['bad-key'], history })).toBe(0);
    await appendFile(history, 'not json\n{"v":99,"at":"2030-01-01T00:00:00Z"}\n{"v":1,"at":"yesterday"}\n');
    expect(await drill({ scenario: ['bad-key'], history })).toBe(0);
    stderr = '';
    takeStdout();

    expect(await reportCommand(history, {})).toBe(1);
    expect(stderr).toContain(`${history}:2: not JSON (line left out)`);
    expect(stderr).toContain(`${history}:3: written by a newer understudy (history version 99; this one reads 1): upgrade understudy to read it (line left out)`);
    expect(stderr).toMatch(new RegExp(`${history.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: not a drill run: at: .*\\(line left out\\)`));
    expect(takeStdout()).toMatch(/^bad-key\s+2\s+100% \(2\/2\)/m);

    expect(await reportCommand(history, { json: true })).toBe(1);
    const document = JSON.parse(takeStdout()) as { problems: { line: number }[] };
    expect(document.problems.map((problem) => problem.line)).toEqual([2, 3, 4]);
  });

  test('a torn last line (a drill killed mid-write) is cut before the next run is appended', async () => {
    const history = path.join(dir, 'history.jsonl');
    await writeFile(history, '{"v":1,"at":"2026-');
    expect(await drill({ scenario: ['bad-key'], history })).toBe(0);
    expect(await reportCommand(history, {})).toBe(0);
    expect((await readFile(history, 'utf8')).trimEnd().split('\n')).toHaveLength(1);
  });

  test('usage errors: a missing file, a file without a run, a bad --last', async () => {
    await expect(reportCommand(path.join(dir, 'nope.jsonl'), {})).rejects.toBeInstanceOf(UsageError);
    await expect(reportCommand(path.join(dir, 'nope.jsonl'), {})).rejects.toThrow(`no history file at ${path.join(dir, 'nope.jsonl')}`);
    const empty = path.join(dir, 'empty.jsonl');
    await writeFile(empty, 'garbage\n');
    await expect(reportCommand(empty, {})).rejects.toThrow(`${empty} holds no drill run (1 line could not be read)`);
    await expect(reportCommand(empty, { last: '0' })).rejects.toThrow('--last must be a whole number of runs from 1 to 1000000, not "0"');
  });

  test('an interrupted drill is not added to the history', async () => {
    const history = path.join(dir, 'history.jsonl');
    const controller = new AbortController();
    controller.abort();
    const code = await drillCommand({ offline: true, scenario: ['bad-key'], history }, { env: {}, cwd: dir, progress: () => {}, signal: controller.signal });
    expect(code).toBe(130);
    await expect(readFile(history, 'utf8')).rejects.toThrow(/ENOENT/);
    expect(stderr).toContain(`interrupted: this run was not added to ${history}`);
  });
});
