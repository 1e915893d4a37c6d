import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { promptLines, readLines, startProviders, tempDir, writeLines, type Providers } from './helpers.js';

// `run` sends the config's alerts: the same sinks, one config, for every command on the engine.
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}bin/understudy.js`;

beforeAll(() => {
  if (!existsSync(`${root}dist/run/run-service.js`)) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
}, 120_000);

let providers: Providers | undefined;
let receiver: Server | undefined;
let files: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await providers?.close();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  files?.cleanup();
});

/** A webhook receiver on loopback that records every body it gets. */
async function startReceiver(): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/T0KEN-SECRET-PATH-123`, bodies };
}

describe('understudy run with alerts configured', () => {
  it('sends exactly one failover alert for a batch that fails over on every request, with no secret in it', async () => {
    providers = await startProviders({ primary: { key: 'sk-test-primary-0001' } });
    await providers.primary.setFault({ type: 'status', status: 503 });
    const hook = await startReceiver();
    files = tempDir();
    const config = files.path('understudy.config.json');
    writeFileSync(config, JSON.stringify({ ...providers.config, alerts: [{ type: 'webhook', url: hook.url, on: ['failover'] }] }));
    writeLines(files.path('in.jsonl'), promptLines(12));
    const proc = spawn(process.execPath, [cli, 'run', '--config', config, '--input', files.path('in.jsonl'), '--output', files.path('out.jsonl')], {
      env: { ...process.env, CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => proc.on('close', resolve));

    expect(code).toBe(0);
    expect(readLines(files.path('out.jsonl')).every((line) => line['provider'] === 'backup')).toBe(true);
    expect(hook.bodies).toHaveLength(1);
    const alert = JSON.parse(hook.bodies[0]!) as { kind: string; providers: string[] };
    expect(alert.kind).toBe('failover');
    expect(alert.providers).toContain('primary');
    for (const text of [...hook.bodies, stderr]) {
      expect(text).not.toContain('sk-test-primary-0001');
      expect(text).not.toContain('T0KEN-SECRET-PATH-123');
    }
  });
});
