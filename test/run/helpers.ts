import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type EngineOptions } from '../../src/engine/engine.js';
import type { UnderstudyConfigInput } from '../../src/config/schema.js';
import { startMockProvider, type MockProvider, type MockProviderOptions } from '../../src/mock/server.js';
import type { Engine } from '../../src/engine/types.js';

/** A temp folder for one test's files; `cleanup` removes it. */
export function tempDir(): { dir: string; path(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'understudy-run-'));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes JSONL: each value on its own line (strings are written as they are, for bad lines). */
export function writeLines(path: string, values: readonly unknown[]): void {
  writeFileSync(path, values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join('\n') + '\n');
}

/** Every JSON line of a file (none when it does not exist). */
export function readLines<T = Record<string, unknown>>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** `count` prompt lines with ids `r0`, `r1`, ... */
export function promptLines(count: number): { id: string; prompt: string }[] {
  return Array.from({ length: count }, (_, index) => ({ id: `r${index}`, prompt: `question ${index}` }));
}

/** How many times each id appears. */
export function idCounts(lines: readonly { id?: unknown }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(String(line.id), (counts.get(String(line.id)) ?? 0) + 1);
  return counts;
}

export interface Providers {
  readonly primary: MockProvider;
  readonly backup: MockProvider;
  readonly config: UnderstudyConfigInput;
  engine(extra?: Partial<UnderstudyConfigInput>, options?: EngineOptions): Engine;
  close(): Promise<void>;
}

/**
 * A primary and a backup mock on loopback, and engines over them with no backoff waits (retry
 * delays of 0), so tests never sleep.
 */
export async function startProviders(options: { primary?: MockProviderOptions; backup?: MockProviderOptions } = {}): Promise<Providers> {
  const primary = await startMockProvider({ name: 'primary', models: ['primary-model'], ...options.primary });
  const backup = await startMockProvider({ name: 'backup', models: ['backup-model'], ...options.backup });
  const config: UnderstudyConfigInput = {
    providers: [
      { name: 'primary', baseURL: primary.baseURL, apiKey: 'sk-test-primary-0001', model: 'primary-model' },
      { name: 'backup', baseURL: backup.baseURL, apiKey: 'sk-test-backup-0002', model: 'backup-model' },
    ],
    retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0, jitter: false },
    breaker: { failureThreshold: 1_000 },
  };
  const engines: Engine[] = [];
  return {
    primary,
    backup,
    config,
    engine(extra = {}, engineOptions = {}) {
      const engine = createEngine({ ...config, ...extra }, engineOptions);
      engines.push(engine);
      return engine;
    },
    async close() {
      for (const engine of engines) engine.close();
      await Promise.all([primary.close(), backup.close()]);
    },
  };
}
