import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBatch, type BatchNotice } from '../../src/run/batch.js';
import { besideOutput } from '../../src/run/paths.js';
import type { Engine } from '../../src/engine/types.js';
import { clearSecrets, registerSecret } from '../../src/config/secrets.js';
import { idCounts, promptLines, readLines, startProviders, tempDir, writeLines, type Providers } from './helpers.js';

let providers: Providers;
let files: ReturnType<typeof tempDir>;

beforeEach(() => {
  files = tempDir();
});

afterEach(async () => {
  await providers?.close();
  files.cleanup();
  clearSecrets();
});

/** A batch over `files` with the default file names beside the output. */
function batch(engine: Engine, extra: { input?: string; concurrency?: number; stopSignal?: AbortSignal; abortSignal?: AbortSignal; notices?: BatchNotice[] } = {}) {
  const output = files.path('out.jsonl');
  return runBatch({
    engine,
    input: extra.input ?? files.path('in.jsonl'),
    output,
    outbox: besideOutput(output, 'outbox'),
    rejects: besideOutput(output, 'rejects'),
    concurrency: extra.concurrency ?? 4,
    ...(extra.stopSignal ? { stopSignal: extra.stopSignal } : {}),
    ...(extra.abortSignal ? { abortSignal: extra.abortSignal } : {}),
    onNotice: (notice) => extra.notices?.push(notice),
  });
}

const output = () => readLines(files.path('out.jsonl'));
const outbox = () => readLines(files.path('out.outbox.jsonl'));

describe('run --input (batch)', () => {
  it('answers every request once, in completion order, with who answered, attempts and usage', async () => {
    providers = await startProviders();
    writeLines(files.path('in.jsonl'), [...promptLines(20), { prompt: 'no id here', temperature: 0 }]);
    const result = await batch(providers.engine());

    const lines = output();
    expect(lines).toHaveLength(21);
    expect([...idCounts(lines).values()].every((count) => count === 1)).toBe(true);
    expect(lines.map((line) => line['id'])).toContain('line-21');
    expect(lines[0]).toMatchObject({ provider: 'primary', model: 'primary-model', content: expect.stringContaining('Hello from primary'), usage: { total_tokens: expect.any(Number) } });
    expect(lines[0]!['attempts']).toEqual([expect.objectContaining({ provider: 'primary', outcome: 'success' })]);
    expect(result.stats.answered).toBe(21);
    expect(result.outboxed).toHaveLength(0);
  });

  it('passes request fields through to the provider unchanged', async () => {
    providers = await startProviders({ primary: { reply: (request) => JSON.stringify({ max_tokens: request.max_tokens, temperature: request.temperature, format: request.response_format }) } });
    writeLines(files.path('in.jsonl'), [{ id: 'a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 500, temperature: 0.2, response_format: { type: 'json_object' } }]);
    await batch(providers.engine());
    expect(JSON.parse(output()[0]!['content'] as string)).toEqual({ max_tokens: 500, temperature: 0.2, format: { type: 'json_object' } });
  });

  it('fails over mid-batch while the primary flaps, and answers each id exactly once', async () => {
    providers = await startProviders();
    // Down, up, down, up...: each failing request fails over to the backup on its own.
    await providers.primary.setFaults([
      { type: 'status', status: 503, count: 5 },
      { type: 'slow-first-token', delayMs: 0, count: 10 },
      { type: 'status', status: 502, count: 5 },
      { type: 'slow-first-token', delayMs: 0, count: 10 },
      { type: 'reset', count: 5 },
    ]);
    writeLines(files.path('in.jsonl'), promptLines(60));
    const result = await batch(providers.engine());

    const lines = output();
    expect(lines).toHaveLength(60);
    expect([...idCounts(lines).values()].every((count) => count === 1)).toBe(true);
    expect(result.stats.answeredBy.get('backup')).toBe(15);
    expect(result.stats.answeredBy.get('primary')).toBe(45);
    expect(result.stats.failedOver).toBe(15);
    const failedOver = lines.filter((line) => line['provider'] === 'backup');
    expect(failedOver[0]!['attempts']).toEqual([expect.objectContaining({ provider: 'primary', outcome: 'failure' }), expect.objectContaining({ provider: 'backup', outcome: 'success' })]);
    expect(result.outboxed).toHaveLength(0);
  });

  it('shares one engine between workers: once the primary\'s breaker opens, no worker calls it', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'status', status: 503 });
    writeLines(files.path('in.jsonl'), promptLines(40));
    const concurrency = 4;
    const result = await batch(providers.engine({ breaker: { failureThreshold: 3, cooldownMs: 3_600_000 } }), { concurrency });

    expect(output()).toHaveLength(40);
    expect(result.stats.answeredBy.get('backup')).toBe(40);
    // Three failures open it; at most the requests already in flight at that moment also fail.
    expect(providers.primary.counters.completions).toBeLessThanOrEqual(3 + concurrency - 1);
    expect(result.stats.breakerOpenings).toBe(1);
  });

  it('sends what every provider failed to the outbox, and a rerun on the outbox answers them once', async () => {
    providers = await startProviders();
    // Both providers down for the first 5 requests.
    await providers.primary.setFault({ type: 'status', status: 503 }, { count: 5 });
    await providers.backup.setFault({ type: 'status', status: 503 }, { count: 5 });
    writeLines(files.path('in.jsonl'), promptLines(30));
    const first = await batch(providers.engine(), { concurrency: 1 });

    expect(first.outboxed.map((entry) => entry.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(output()).toHaveLength(25);
    const entries = outbox();
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({ id: 'r0', reason: 'exhausted', messages: [{ role: 'user', content: 'question 0' }], error: 'every provider failed: primary: 503; backup: 503' });
    expect(entries[0]!['attempts']).toHaveLength(2);

    // The retry reads the outbox itself and rewrites it with what still failed: nothing.
    const retry = await batch(providers.engine(), { input: files.path('out.outbox.jsonl') });
    expect(retry.stats.answered).toBe(5);
    expect(retry.outboxKept).toBe(0);
    expect(outbox()).toEqual([]);
    const lines = output();
    expect(lines).toHaveLength(30);
    expect([...idCounts(lines).values()].every((count) => count === 1)).toBe(true);
  });

  it('reruns of the original input also retry outbox items, and the outbox keeps one entry per id', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'status', status: 503 });
    await providers.backup.setFault({ type: 'status', status: 503 }, { count: 2 });
    writeLines(files.path('in.jsonl'), promptLines(2));
    await batch(providers.engine(), { concurrency: 1 });
    expect(outbox().map((entry) => entry['id'])).toEqual(['r0', 'r1']);

    await providers.backup.setFault({ type: 'status', status: 503 }, { count: 1 });
    await batch(providers.engine(), { concurrency: 1 });
    expect(outbox().map((entry) => entry['id'])).toEqual(['r0']);
    expect(output().map((line) => line['id'])).toEqual(['r1']);
  });

  it('puts a request a provider rejects (400) in the outbox as rejected, without trying the backup', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'status', status: 400 }, { count: 1 });
    writeLines(files.path('in.jsonl'), promptLines(3));
    const result = await batch(providers.engine(), { concurrency: 1 });
    expect(result.stats.outboxed.rejected).toBe(1);
    expect(outbox()[0]).toMatchObject({ id: 'r0', reason: 'rejected', error: expect.stringContaining('primary rejected the request: 400 bad request') });
    expect(providers.backup.counters.completions).toBe(0);
    expect(output()).toHaveLength(2);
  });

  it('reports bad lines with their line number in the rejects file and carries on', async () => {
    providers = await startProviders();
    writeLines(files.path('in.jsonl'), [
      { id: 'a', prompt: 'fine' },
      'not json at all',
      { id: 'b' },
      { id: 'c', prompt: 'x', messages: [{ role: 'user', content: 'y' }] },
      { id: 'd', prompt: 'x', model: 'gpt-4o' },
      '[1, 2]',
      { id: 'a', prompt: 'again' },
      '',
      { id: 'e', messages: [] },
      { id: 'f', prompt: 'fine too' },
    ]);
    const notices: BatchNotice[] = [];
    const result = await batch(providers.engine(), { notices });

    expect(output().map((line) => line['id']).sort()).toEqual(['a', 'f']);
    const rejects = readLines(files.path('out.rejects.jsonl'));
    expect(rejects.map((reject) => reject['line'])).toEqual([2, 3, 4, 5, 6, 7, 9]);
    expect(rejects[0]).toMatchObject({ line: 2, problem: expect.stringMatching(/^not JSON/), text: 'not json at all' });
    expect(rejects[3]!['problem']).toMatch(/models belong to providers/);
    expect(rejects[5]!['problem']).toMatch(/duplicate id "a" \(first on line 1\)/);
    expect(result.stats.badLines).toBe(7);
    expect(notices.filter((notice) => notice.type === 'bad-line').map((notice) => (notice as { line: number }).line)).toEqual([2, 3, 4, 5, 6, 7, 9]);

    // A resumed run meets the same bad lines: the rejects file still lists each once.
    await batch(providers.engine());
    expect(readLines(files.path('out.rejects.jsonl'))).toHaveLength(7);
  });

  it('resumes: skips ids already answered, repairs a torn last line and answers its id again', async () => {
    providers = await startProviders();
    writeLines(files.path('in.jsonl'), promptLines(10));
    writeLines(files.path('out.jsonl'), [{ id: 'r0', provider: 'primary', content: 'old' }, { id: 'r1', provider: 'primary', content: 'old' }]);
    appendFileSync(files.path('out.jsonl'), '{"id":"r2","provider":"prim'); // kill -9 mid-write
    const result = await batch(providers.engine());

    expect(result.stats.skipped).toBe(2);
    expect(result.stats.answered).toBe(8);
    const text = readFileSync(files.path('out.jsonl'), 'utf8');
    expect(text).not.toContain('"prim\n');
    const lines = output(); // throws if any line is broken
    expect(lines).toHaveLength(10);
    expect([...idCounts(lines).values()].every((count) => count === 1)).toBe(true);
    expect(lines.slice(0, 2).map((line) => line['content'])).toEqual(['old', 'old']);
  });

  it('keeps a complete last line that only lost its newline', async () => {
    providers = await startProviders();
    writeLines(files.path('in.jsonl'), promptLines(3));
    writeFileSync(files.path('out.jsonl'), '{"id":"r0","content":"kept"}');
    await batch(providers.engine());
    const lines = output();
    expect(lines.map((line) => line['id'])).toEqual(['r0', expect.any(String), expect.any(String)]);
    expect(lines[0]!['content']).toBe('kept');
  });

  it('first Ctrl-C: takes no new work, lets calls in flight finish; a rerun answers the rest once', async () => {
    providers = await startProviders();
    writeLines(files.path('in.jsonl'), promptLines(200));
    const stop = new AbortController();
    const engine = providers.engine();
    let successes = 0;
    engine.on('success', () => {
      if (++successes === 10) stop.abort();
    });
    const result = await batch(engine, { stopSignal: stop.signal });

    expect(result.stopped).toBe(true);
    expect(result.outboxed).toHaveLength(0); // nothing in flight was cut off
    expect(output()).toHaveLength(result.stats.answered);
    expect(result.stats.answered).toBeGreaterThanOrEqual(10);
    expect(result.stats.answered).toBeLessThan(200);

    const rest = await batch(providers.engine());
    expect(rest.stats.skipped).toBe(result.stats.answered);
    const lines = output();
    expect(lines).toHaveLength(200);
    expect([...idCounts(lines).values()].every((count) => count === 1)).toBe(true);
  });

  it('second Ctrl-C: aborts the calls in flight into the outbox as interrupted', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'hang' });
    writeLines(files.path('in.jsonl'), promptLines(50));
    const stop = new AbortController();
    const abort = new AbortController();
    const engine = providers.engine();
    let attempts = 0;
    engine.on('attempt', () => {
      if (++attempts === 3) {
        stop.abort();
        abort.abort();
      }
    });
    const result = await batch(engine, { concurrency: 3, stopSignal: stop.signal, abortSignal: abort.signal });

    expect(result.stats.outboxed.interrupted).toBe(3);
    expect(outbox().map((entry) => entry['reason'])).toEqual(['interrupted', 'interrupted', 'interrupted']);
    expect(output()).toHaveLength(0);
    expect(providers.backup.counters.completions).toBe(0); // an abort is never failed over
  });

  it('reads the input from stdin with --input -', async () => {
    providers = await startProviders();
    const output = files.path('out.jsonl');
    const stdin = Readable.from(promptLines(5).map((line) => `${JSON.stringify(line)}\n`));
    const result = await runBatch({ engine: providers.engine(), input: '-', stdin, output, outbox: besideOutput(output, 'outbox'), rejects: besideOutput(output, 'rejects'), concurrency: 2 });
    expect(result.stats.totalLines).toBeUndefined();
    expect(readLines(output).map((line) => line['id']).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('masks secrets in the output and the outbox', async () => {
    const secret = 'sk-live-SECRET-abcdef123456';
    registerSecret(secret);
    providers = await startProviders({ primary: { reply: `the key is ${secret}` } });
    await providers.backup.setFault({ type: 'status', status: 503 });
    writeLines(files.path('in.jsonl'), [{ id: 'a', prompt: 'x' }, { id: 'b', prompt: `my key is ${secret}` }]);
    await providers.primary.setFault({ type: 'status', status: 503 }, { count: 1 });
    await batch(providers.engine(), { concurrency: 1 });

    const written = readFileSync(files.path('out.jsonl'), 'utf8') + readFileSync(files.path('out.outbox.jsonl'), 'utf8');
    expect(written).not.toContain(secret);
    expect(written).toContain('***');
  });
});
