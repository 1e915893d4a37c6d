import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { idCounts, promptLines, readLines, startProviders, tempDir, writeLines, type Providers } from './helpers.js';

/**
 * The real CLI in a child process: what only a process can show (kill -9 mid-batch, signals,
 * exit codes). Runs the built CLI; builds it first when dist/ is missing (CI builds before testing).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}bin/understudy.js`;

beforeAll(() => {
  if (!existsSync(`${root}dist/run/run-service.js`)) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
}, 120_000);

let providers: Providers;
let files: ReturnType<typeof tempDir>;
let child: ChildProcess | undefined;

beforeEach(() => {
  files = tempDir();
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  await providers?.close();
  files.cleanup();
});

function writeConfig(): string {
  const path = files.path('understudy.config.json');
  writeFileSync(path, JSON.stringify(providers.config));
  return path;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startCli(args: string[]): { child: ChildProcess; done: Promise<Finished>; stderr(): string } {
  const proc = spawn(process.execPath, [cli, ...args], { cwd: files.dir, env: { ...process.env, NO_COLOR: '1', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Finished>((resolve) => proc.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child: proc, done, stderr: () => stderr };
}

/** Resolves once `check` holds, polling (waits for a state, never for a time). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const lineCount = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);

describe('understudy run (the CLI)', () => {
  it('kill -9 mid-batch, then the same command again: every id answered exactly once', async () => {
    providers = await startProviders();
    // Every answer 20 ms late, so the kill lands with requests in flight.
    await providers.primary.setFault({ type: 'slow-first-token', delayMs: 20 });
    writeLines(files.path('in.jsonl'), promptLines(120));
    const args = ['run', '--input', 'in.jsonl', '--output', 'out.jsonl', '--config', writeConfig(), '--concurrency', '8'];

    const first = startCli(args);
    await until(() => lineCount(files.path('out.jsonl')) >= 20);
    first.child.kill('SIGKILL');
    await first.done;
    const beforeResume = readLines(files.path('out.jsonl')).length;
    expect(beforeResume).toBeLessThan(120);

    const second = await startCli(args).done;
    expect(second.code).toBe(0);
    const lines = readLines(files.path('out.jsonl'));
    expect(lines).toHaveLength(120);
    expect([...idCounts(lines).values()].every((count) => count === 1)).toBe(true);
    expect(second.stdout).toMatch(new RegExp(`skipped\\s+${beforeResume}\\s`));
  });

  it('Ctrl-C waits for calls in flight; a second Ctrl-C aborts them into the outbox, prints the summary, exits 130', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'hang' });
    writeLines(files.path('in.jsonl'), promptLines(30));
    const run = startCli(['run', '--input', 'in.jsonl', '--output', 'out.jsonl', '--config', writeConfig(), '--concurrency', '4']);
    await until(() => providers.primary.counters.completions >= 4);

    run.child.kill('SIGINT');
    await until(() => /stopping: no new requests/.test(run.stderr()));
    expect(run.child.exitCode).toBeNull(); // still waiting for the four in flight
    run.child.kill('SIGINT');
    const finished = await run.done;

    expect(finished.code).toBe(130);
    expect(readLines(files.path('out.outbox.jsonl')).map((entry) => entry['reason'])).toEqual(['interrupted', 'interrupted', 'interrupted', 'interrupted']);
    const [, read, unread] = /interrupted: (\d+) read but not started, (\d+) input lines not reached, 4 aborted in flight; rerun the same command to continue/.exec(finished.stdout) ?? [];
    expect(Number(read) + Number(unread)).toBe(26);
    expect(providers.primary.counters.completions).toBe(4); // nothing new was taken after the first Ctrl-C
  });

  it('exit 3 when anything went to the outbox, and the summary says how to retry it', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'status', status: 503 });
    await providers.backup.setFault({ type: 'status', status: 503 }, { count: 2 });
    writeLines(files.path('in.jsonl'), promptLines(5));
    const config = writeConfig();
    const finished = await startCli(['run', '-i', 'in.jsonl', '-o', 'out.jsonl', '--config', config, '--concurrency', '1']).done;
    expect(finished.code).toBe(3);
    expect(finished.stdout).toMatch(/outbox\s+2\s+2 every provider failed → out\.outbox\.jsonl/);
    expect(finished.stdout).toContain(`retry the outbox: understudy run --input out.outbox.jsonl --output out.jsonl --config ${config}`);
    expect(finished.stderr).toContain('"r0" → outbox (exhausted): every provider failed: primary: 503; backup: 503');

    const retry = await startCli(['run', '--input', 'out.outbox.jsonl', '--output', 'out.jsonl', '--config', config, '--json']).done;
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.stdout)).toMatchObject({ answered: 2, outboxKept: 0 });
    expect(readLines(files.path('out.jsonl'))).toHaveLength(5);
  });

  it('--offline says on stderr that it is the offline demo; stdout is only the answer', async () => {
    const finished = await startCli(['run', '--offline', 'hi']).done;
    expect(finished.code).toBe(0);
    expect(finished.stderr).toMatch(/^offline demo: mock providers primary and backup on 127\.0\.0\.1\nanswered by primary/);
    expect(finished.stdout).toBe('Hello from primary. You sent 1 message to primary-model.\n');
  });

  it('writes timings in whole milliseconds in the answers, the outbox and every JSON document', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'status', status: 503 });
    await providers.backup.setFault({ type: 'status', status: 503 }, { count: 2 });
    writeLines(files.path('in.jsonl'), promptLines(3));
    const config = writeConfig();
    const batch = await startCli(['run', '-i', 'in.jsonl', '-o', 'out.jsonl', '--config', config, '--concurrency', '1', '--json']).done;
    const prompt = await startCli(['run', '--config', config, '--json', 'hi']).done;

    const documents = [JSON.parse(batch.stdout), JSON.parse(prompt.stdout), ...readLines(files.path('out.jsonl')), ...readLines(files.path('out.outbox.jsonl'))];
    const timings = documents.flatMap(timingsIn);
    expect(timings.filter(([key]) => key === 'ms').length).toBeGreaterThanOrEqual(5);
    for (const [key, value] of timings) expect(Number.isInteger(value), `${key}: ${value}`).toBe(true);
  });

  it('bad usage is exit 2 with a clear message and no stack', async () => {
    providers = await startProviders();
    const config = writeConfig();
    const cases: [string[], RegExp][] = [
      [['run', '--model', 'gpt-4o', 'hi'], /models belong to providers/],
      [['run', '--input', 'missing.jsonl', '--output', 'o.jsonl'], /--input missing\.jsonl: no such file/],
      [['run', '--input', 'in.jsonl'], /needs --output FILE\.jsonl/],
      [['run', '--input', 'in.jsonl', '--output', 'in.jsonl'], /same file as --input/],
      [['run', '--input', 'in.jsonl', '--output', 'o.jsonl', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 1000, not "0"/],
    ];
    writeLines(files.path('in.jsonl'), promptLines(1));
    for (const [args, message] of cases) {
      const finished = await startCli([...args, '--config', config]).done;
      expect(finished.code, args.join(' ')).toBe(2);
      expect(finished.stderr).toMatch(message);
      expect(finished.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a prompt on stdin, piped: only the answer on stdout, who answered on stderr', async () => {
    providers = await startProviders();
    const proc = spawn(process.execPath, [cli, 'run', '--config', writeConfig()], { cwd: files.dir, env: { ...process.env, NO_COLOR: '1' } });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdin.end('what is up?\n');
    const code = await new Promise((resolve) => proc.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toBe('Hello from primary. You sent 1 message to primary-model.\n');
    expect(stderr).toMatch(/^answered by primary \(primary-model\) in \d+ ms\n$/);
  });
});

/** Every `ms` / `…Ms` number in a JSON value, with its key. */
function timingsIn(value: unknown): [string, number][] {
  if (Array.isArray(value)) return value.flatMap(timingsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]): [string, number][] =>
    typeof item === 'number' && (key === 'ms' || key.endsWith('Ms')) ? [[key, item]] : timingsIn(item),
  );
}
