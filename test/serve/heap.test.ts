import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/cli.js';

// V8's heap growth can only be seen from a fresh process: each run gets a Node of its own.
beforeAll(() => ensureBuilt('dist/serve/heap.js'), 120_000);

interface Probe {
  readonly tuned: boolean;
  readonly liveMB: number;
  readonly peakMB: number;
  readonly collected: boolean;
}

function probe(tune: boolean, nodeFlags: readonly string[] = []): Probe {
  const run = spawnSync(process.execPath, ['--expose-gc', ...nodeFlags, `${root}test/serve/heap-probe.mjs`, `${root}dist/serve/heap.js`, tune ? 'tune' : 'leave'], {
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Probe;
}

describe('tuneHeapForGateway', () => {
  it('has V8 collect promoted garbage before the old generation grows by half again, where by default it lets it grow past double', () => {
    const untouched = probe(false);
    // The control: without the tuning, this much garbage does not yet trigger a full GC.
    expect(untouched.peakMB).toBeGreaterThan(2 * untouched.liveMB);

    const tuned = probe(true);
    expect(tuned.tuned).toBe(true);
    expect(tuned.collected).toBe(true);
    // 50% growth, and V8's floor of 8 MB per step; a little over for the batch that crossed it.
    expect(tuned.peakMB).toBeLessThan(1.5 * tuned.liveMB + 16);
  });

  it('leaves a growth factor the user gave Node alone', () => {
    const own = probe(true, ['--heap-growing-percent=300']);
    expect(own.tuned).toBe(false);
    expect(own.peakMB).toBeGreaterThan(2 * own.liveMB);
  });
});
