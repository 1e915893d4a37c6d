import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Runs the CLI from source (jiti compiles the TypeScript on the fly). */
function cli(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; firstLine: Promise<string> } {
  const child = spawn(process.execPath, ['node_modules/jiti/lib/jiti-cli.mjs', 'src/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (part: Buffer) => (stderr += part.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (part: Buffer) => {
      stdout += part.toString();
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
    child.stdout!.on('end', () => reject(new Error(`no line on stdout; stderr: ${stderr}`)));
  });
  firstLine.catch(() => undefined);
  return { child, stdout: () => stdout, stderr: () => stderr, firstLine };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('understudy serve', () => {
  it.each([
    ['SIGTERM', 0],
    ['SIGINT', 130],
  ] as const)('serves until %s, then exits %d', async (signal, code) => {
    const run = cli(['serve', '--offline', '--port', '0', '--json']);
    const document = JSON.parse(await run.firstLine) as { baseURL: string; host: string; tokensRequired: boolean };
    expect(document).toMatchObject({ host: '127.0.0.1', tokensRequired: false });
    const client = new OpenAI({ baseURL: document.baseURL, apiKey: 'anything', maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]!.message.content).toMatch(/^Hello from primary/);
    run.child.kill(signal);
    expect(await exitCode(run.child)).toBe(code);
    expect(run.stderr()).not.toMatch(/sk-offline-/);
    expect(run.stderr()).toMatch(/^offline demo: mock providers primary and backup on 127\.0\.0\.1\n/);
  });

  it('refuses a non-loopback --host without client tokens: exit 2 and a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'understudy-serve-'));
    const config = join(dir, 'understudy.config.json');
    writeFileSync(config, JSON.stringify({ providers: [{ name: 'p', baseURL: 'http://127.0.0.1:9/v1', model: 'm' }] }));
    const run = cli(['serve', '--config', config, '--host', '0.0.0.0']);
    expect(await exitCode(run.child)).toBe(2);
    expect(run.stderr()).toContain('refusing to listen on 0.0.0.0 without client tokens');
    expect(run.stderr()).toContain('tokens');
    expect(run.stdout()).toBe('');
  });
});
