import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt } from '../support/cli.js';

// The built `understudy serve` runs the gateway in the process it was started as, its heap tuned
// from inside (src/serve/heap.ts): no child Node started with heap flags (the parent idled at
// ~70 MB beside it). Signals reach the gateway directly.
beforeAll(() => ensureBuilt('dist/serve/serve-service.js'), 120_000);

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function serve(): Promise<{ process: ChildProcess; url: string }> {
  const gateway = spawn(process.execPath, [cli, 'serve', '--offline', '--port', '0', '--json'], {
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(gateway);
  const [line] = (await once(gateway.stdout!, 'data')) as [Buffer];
  return { process: gateway, url: (JSON.parse(line.toString()) as { url: string }).url };
}

const answers = async (url: string) => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true;

describe('understudy serve (built)', () => {
  it('serves from the process it was started as, with no child Node', async () => {
    const { process: gateway, url } = await serve();
    expect(await answers(url)).toBe(true);
    const children = spawnSync('ps', ['-o', 'args=', '--ppid', String(gateway.pid)], { encoding: 'utf8' }).stdout;
    expect(children).not.toMatch(/understudy\.js serve/);
  });

  it.each([
    ['SIGTERM', 0],
    ['SIGINT', 130],
  ] as const)('stops on %s with exit %d, and its port closes', async (signal, code) => {
    const { process: gateway, url } = await serve();
    gateway.kill(signal);
    const [exit] = (await once(gateway, 'exit')) as [number | null];
    expect(exit).toBe(code);
    expect(await answers(url)).toBe(false);
  });
});
