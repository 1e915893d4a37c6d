import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { drillCommand } from '../../src/drill/run-command.js';

let stdout = '';
let dir = '';

beforeEach(async () => {
  vi.stubEnv('GITHUB_ACTIONS', '');
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-require-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

test('--json with --require: ok follows the required scenarios, and says which were required and which failed without counting', async () => {
  // A 503 classified fatal is never failed over: server-error fails, bad-key passes.
  const config = path.join(dir, 'fatal-503.yaml');
  await writeFile(config, 'providers:\n  - { name: a, baseURL: "http://127.0.0.1:9/v1", model: m, apiKey: x }\n  - { name: b, baseURL: "http://127.0.0.1:9/v1", model: m, apiKey: x }\nclassify: { "503": fatal }\n');
  const options = { offline: true, config, json: true, scenario: ['bad-key', 'server-error'] };

  expect(await drillCommand({ ...options, require: ['bad-key'] }, { env: {}, cwd: dir })).toBe(0);
  const tolerant = JSON.parse(stdout) as { ok: boolean; required: string[]; tolerated: string[]; scenarios: { name: string; ok: boolean }[] };
  expect(tolerant).toMatchObject({ ok: true, required: ['bad-key'], tolerated: ['server-error'] });
  expect(tolerant.scenarios.map((scenario) => [scenario.name, scenario.ok])).toEqual([['bad-key', true], ['server-error', false]]);

  stdout = '';
  expect(await drillCommand(options, { env: {}, cwd: dir })).toBe(1);
  const strict = JSON.parse(stdout) as Record<string, unknown>;
  expect(strict['ok']).toBe(false);
  expect(strict).not.toHaveProperty('required');
  expect(strict).not.toHaveProperty('tolerated');
});
