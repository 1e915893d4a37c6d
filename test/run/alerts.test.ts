import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../support/cli.js';
import { promptLines, readLines, startProviders, tempDir, writeLines, type Providers } from './helpers.js';

// `run` sends the config's alerts: the same sinks, one config, for every command on the engine.
beforeAll(() => ensureBuilt('dist/run/run-service.js'), 120_000);

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
    const { code, stderr } = await runCli(['run', '--config', config, '--input', files.path('in.jsonl'), '--output', files.path('out.jsonl')]);

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
