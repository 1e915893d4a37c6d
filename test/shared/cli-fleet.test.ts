import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { ensureBuilt, runCli } from '../support/cli.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

// Fleet mode from the command line: two separate `understudy run` processes with `state.redis`
// in their config. The first learns the primary is down; the second never calls it.
let redis: TestRedis;
let primary: MockProvider;
let backup: MockProvider;
let dir: string;

beforeAll(async () => {
  ensureBuilt('dist/setup/fleet.js');
  redis = await startTestRedis();
  primary = await startMockProvider({ name: 'primary' });
  backup = await startMockProvider({ name: 'backup' });
  dir = mkdtempSync(path.join(tmpdir(), 'understudy-fleet-cli-'));
}, 120_000);

afterAll(async () => {
  await Promise.all([primary.close(), backup.close(), redis.kill()]);
  rmSync(dir, { recursive: true, force: true });
});

const run = (config: string, prompt: string) => runCli(['run', '--config', config, prompt]);

describe('fleet mode through the CLI', () => {
  it('a breaker opened by one process is open in the next one, which skips the primary without calling it', async () => {
    const config = path.join(dir, 'understudy.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        providers: [
          { name: 'primary', baseURL: primary.baseURL, model: 'mock-model' },
          { name: 'backup', baseURL: backup.baseURL, model: 'mock-model' },
        ],
        retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
        breaker: { failureThreshold: 3, cooldownMs: 60_000 },
        state: { redis: redis.url, prefix: `cli-fleet-${process.pid}` },
      }),
    );
    await primary.setFault({ type: 'status', status: 503 });

    const first = await run(config, 'one');
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/answered by backup/);
    const callsAfterFirst = primary.counters.completions;
    expect(callsAfterFirst).toBe(3);

    const second = await run(config, 'two');
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/answered by backup/);
    expect(primary.counters.completions).toBe(callsAfterFirst);
  });
});
