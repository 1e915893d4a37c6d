import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/cli.js';
import { GATEWAY_YOUNG_GENERATION_BYTES } from '../../src/serve/heap.js';

// V8's heap sizes can only be seen from a fresh process: each run gets a Node of its own.
beforeAll(() => ensureBuilt('dist/serve/heap.js'), 120_000);

interface Probe {
  readonly oldGeneration: boolean;
  readonly youngGeneration: boolean;
  readonly youngPeakMB: number;
  readonly liveMB: number;
  readonly peakMB: number;
  readonly collected: boolean;
}

function probe(tuning: 'tune' | 'leave' | 'stopped', nodeFlags: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Probe {
  const run = spawnSync(process.execPath, ['--expose-gc', ...nodeFlags, `${root}test/serve/heap-probe.mjs`, `${root}dist/serve/heap.js`, tuning], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Probe;
}

const youngLimitMB = GATEWAY_YOUNG_GENERATION_BYTES / 1048576;

describe('tuneHeapForGateway', () => {
  it('holds the young generation where V8 would double it, and collects promoted garbage before the old one grows by half', () => {
    // The control: left alone, V8 grows both generations past what the gateway keeps.
    const untouched = probe('leave');
    expect(untouched.youngPeakMB).toBeGreaterThan(youngLimitMB);
    expect(untouched.peakMB).toBeGreaterThan(2 * untouched.liveMB);

    const tuned = probe('tune');
    expect(tuned).toMatchObject({ oldGeneration: true, youngGeneration: true, collected: true });
    expect(tuned.youngPeakMB).toBeLessThanOrEqual(youngLimitMB);
    // 50% growth, and V8's floor of 8 MB per step; a little over for the batch that crossed it.
    expect(tuned.peakMB).toBeLessThan(1.5 * tuned.liveMB + 16);
  });

  it('lets both generations grow as V8 would once stopped', () => {
    const stopped = probe('stopped');
    expect(stopped.youngPeakMB).toBeGreaterThan(youngLimitMB);
    expect(stopped.peakMB).toBeGreaterThan(2 * stopped.liveMB);
  });

  it('leaves alone what the user sized on the command line or in NODE_OPTIONS', () => {
    const growth = probe('tune', ['--heap-growing-percent=300']);
    expect(growth).toMatchObject({ oldGeneration: false, youngGeneration: true });
    expect(growth.peakMB).toBeGreaterThan(2 * growth.liveMB);

    const young = probe('tune', [], { NODE_OPTIONS: '--max-semi-space-size=32' });
    expect(young).toMatchObject({ oldGeneration: true, youngGeneration: false });
    expect(young.youngPeakMB).toBeGreaterThan(youngLimitMB);
  });
});
