import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InternalServerError } from 'openai';
import { clientFor, hello } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];

/** Runs the CLI from source (jiti compiles the TypeScript on the fly). */
function cli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['node_modules/jiti/lib/jiti-cli.mjs', 'src/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function output(stream: NodeJS.ReadableStream | null): { text: () => string; firstLine: Promise<string> } {
  let text = '';
  const firstLine = new Promise<string>((resolve, reject) => {
    stream?.on('data', (part: Buffer) => {
      text += part.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    stream?.on('end', () => reject(new Error(`ended before a line: ${JSON.stringify(text)}`)));
  });
  firstLine.catch(() => undefined);
  return { text: () => text, firstLine };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('understudy mock', () => {
  it('serves on 127.0.0.1, says where with --json, plays its faults, and exits 130 on Ctrl-C', async () => {
    const child = cli(['mock', '--json', '--key', 'sk-cli-secret-123', '--model', 'm1', '--model', 'm2', '--fault', '503x1', '--name', 'cli']);
    const stdout = output(child.stdout);
    const document = JSON.parse(await stdout.firstLine) as Record<string, unknown>;
    expect(document).toMatchObject({ name: 'cli', models: ['m1', 'm2'], keyRequired: true, faults: ['503x1'] });
    expect(document['baseURL']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);

    const client = clientFor(String(document['baseURL']), 'sk-cli-secret-123');
    expect(await client.chat.completions.create({ ...hello, model: 'm1' }).catch((error: unknown) => error)).toBeInstanceOf(InternalServerError);
    const answer = await client.chat.completions.create({ ...hello, model: 'm1' });
    expect(answer.choices[0]?.message.content).toContain('Hello from cli.');

    child.kill('SIGINT');
    expect(await exitCode(child)).toBe(130);
    expect(stdout.text()).not.toContain('sk-cli-secret-123');
  });

  it('prints only its base URL on stdout without --json', async () => {
    const child = cli(['mock']);
    const stdout = output(child.stdout);
    expect(await stdout.firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    child.kill('SIGTERM');
    await exitCode(child);
    expect(stdout.text().trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 on a bad --fault spec, saying what is wrong with it', async () => {
    const child = cli(['mock', '--fault', 'slow:fast']);
    const stderr = output(child.stderr);
    expect(await exitCode(child)).toBe(2);
    expect(stderr.text()).toContain('bad fault spec "slow:fast": "fast" after slow: is not a duration');
    expect(stderr.text()).toContain('understudy mock --help');
  });
});
