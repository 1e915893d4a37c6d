import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/terminal/exit-codes.js';
import { runWatch } from '../../src/watch/run-watch.js';

let stdout: string[] = [];

beforeEach(() => {
  stdout = [];
  // Not a terminal as far as watch can tell: plain lines, never Ink.
  vi.stubEnv('CI', '1');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const lines = () => stdout.join('').split('\n').filter(Boolean);

describe('runWatch without a terminal', () => {
  it('--once probes one round, prints a table and exits 0 when every provider answered', async () => {
    await expect(runWatch({ offline: true, once: true })).resolves.toBe(0);
    expect(lines().some((line) => /►\s+1\s+primary\s+primary-model\s+● closed\s+✓ ok/.test(line))).toBe(true);
    expect(lines().at(-1)).toMatch(/^healthy: every provider answered; traffic → primary$/);
  });

  it('--json streams one JSON object per line until Ctrl-C, then exits 130', async () => {
    const running = runWatch({ offline: true, json: true });
    await vi.waitFor(() => expect(lines().length).toBeGreaterThan(0), { timeout: 5_000 });
    process.emit('SIGINT');
    await expect(running).resolves.toBe(130);
    const parsed = lines().map((line) => JSON.parse(line) as { type: string; providers: { name: string }[] });
    expect(parsed[0]?.type).toBe('round');
    expect(parsed[0]?.providers.map((provider) => provider.name)).toEqual(['primary', 'backup']);
    // No secret (the offline keys start with sk-offline-) ever reaches stdout.
    expect(stdout.join('')).not.toMatch(/sk-offline-/);
  });

  it('prints a plain summary line per round', async () => {
    const running = runWatch({ offline: true });
    await vi.waitFor(() => expect(lines().length).toBeGreaterThan(0), { timeout: 5_000 });
    process.emit('SIGINT');
    await expect(running).resolves.toBe(130);
    expect(lines()[0]).toMatch(/^\d\d:\d\d:\d\d {2}round 1 {2}primary ● closed \d+ ms · backup ● closed \d+ ms {2}traffic → primary$/);
  });

  it('rejects a bad --interval and --offline with --config, naming the option', async () => {
    await expect(runWatch({ offline: true, interval: 'fast' })).rejects.toThrow(UsageError);
    await expect(runWatch({ offline: true, interval: '10' })).rejects.toThrow(/--interval must be a whole number of milliseconds from 100/);
    await expect(runWatch({ offline: true, config: 'x.json' })).rejects.toThrow(/--offline .* --config/);
  });
});
