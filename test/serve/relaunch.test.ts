import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt } from '../support/cli.js';

// The built `understudy serve` runs the gateway in a child Node started with a small young
// generation (V8 takes that only at startup). Signals must still reach it once, exit codes must
// come back, and a parent killed outright must not leave the gateway running.
beforeAll(() => ensureBuilt('dist/serve/serve-service.js'), 120_000);

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function serve(): Promise<{ parent: ChildProcess; url: string }> {
  const parent = spawn(process.execPath, [cli, 'serve', '--offline', '--port', '0', '--json'], {
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(parent);
  const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
  return { parent, url: (JSON.parse(line.toString()) as { url: string }).url };
}

const answers = async (url: string) => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true;

describe('understudy serve in its own Node', () => {
  it('runs the gateway with a 2 MB young generation', async () => {
    const { parent, url } = await serve();
    expect(await answers(url)).toBe(true);
    const children = spawnSync('ps', ['-o', 'args=', '--ppid', String(parent.pid)], { encoding: 'utf8' }).stdout;
    expect(children).toMatch(/--max-semi-space-size=2 .*understudy\.js serve --offline/);
  });

  it.each([
    ['SIGTERM', 0],
    ['SIGINT', 130],
  ] as const)('passes %s on once and exits %d', async (signal, code) => {
    const { parent, url } = await serve();
    parent.kill(signal);
    const [exit] = (await once(parent, 'exit')) as [number | null];
    expect(exit).toBe(code);
    expect(await answers(url)).toBe(false);
  });

  it('stops the gateway when its parent is killed outright', async () => {
    const { parent, url } = await serve();
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    for (let tries = 0; tries < 200 && (await answers(url)); tries++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await answers(url)).toBe(false);
  });
});
