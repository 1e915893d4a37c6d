import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPrompt, type PromptIO } from '../../src/run/prompt.js';
import { ExitCode } from '../../src/terminal/exit-codes.js';
import { readLines, startProviders, tempDir, type Providers } from './helpers.js';

let providers: Providers;
let files: ReturnType<typeof tempDir>;

beforeEach(() => {
  files = tempDir();
});
afterEach(async () => {
  await providers?.close();
  files.cleanup();
});

/** Captures what would go to stdout and stderr. */
function fakeIO(outIsTerminal: boolean): PromptIO & { out: string; logs: string[] } {
  const io = {
    out: '',
    logs: [] as string[],
    outIsTerminal,
    writeOut(text: string) {
      io.out += text;
    },
    log(line: string) {
      io.logs.push(line);
    },
  };
  return io;
}

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
const LONG_PRIMARY = 'primary says one two three four five six seven eight nine ten';
const LONG_BACKUP = 'backup says alpha beta gamma delta epsilon';

describe('run "prompt"', () => {
  it('streams the answer and says who answered on stderr', async () => {
    providers = await startProviders();
    const io = fakeIO(true);
    const code = await runPrompt({ engine: providers.engine(), request, json: false, outbox: undefined, io });
    expect(code).toBe(ExitCode.ok);
    expect(io.out).toBe('Hello from primary. You sent 1 message to primary-model.\n');
    expect(io.logs).toEqual([expect.stringMatching(/^answered by primary \(primary-model\) in \d+ ms$/)]);
  });

  it('says what failed on the way and that the breaker opened', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'status', status: 503 });
    const io = fakeIO(false);
    const engine = providers.engine({ retry: { maxRetries: 2, baseDelayMs: 0, maxDelayMs: 0, jitter: false }, breaker: { failureThreshold: 3 } });
    await runPrompt({ engine, request, json: false, outbox: undefined, io });
    expect(io.logs[0]).toMatch(/^answered by backup \(backup-model\) in .+ after primary: 503 server error ×3, breaker opened$/);
  });

  it('piped: a restart mid-answer leaves only the complete answer of the provider that finished', async () => {
    providers = await startProviders({ primary: { reply: LONG_PRIMARY }, backup: { reply: LONG_BACKUP } });
    await providers.primary.setFault({ type: 'drop-mid-stream', afterChunks: 4 }, { count: 1 });
    const io = fakeIO(false);
    const code = await runPrompt({ engine: providers.engine(), request, json: false, outbox: undefined, io });
    expect(code).toBe(ExitCode.ok);
    expect(io.out).toBe(`${LONG_BACKUP}\n`);
    expect(io.logs.at(-1)).toMatch(/^answered by backup/);
  });

  it('on a terminal: a restart is marked on stderr and the new answer follows on its own line', async () => {
    providers = await startProviders({ primary: { reply: LONG_PRIMARY }, backup: { reply: LONG_BACKUP } });
    await providers.primary.setFault({ type: 'drop-mid-stream', afterChunks: 4 }, { count: 1 });
    const io = fakeIO(true);
    await runPrompt({ engine: providers.engine(), request, json: false, outbox: undefined, io });
    expect(io.logs[0]).toMatch(/^↻ primary failed mid-answer \(.+\); restarting on backup — the text above is discarded$/);
    const [partial, answer] = io.out.split('\n');
    expect(LONG_PRIMARY.startsWith(partial!)).toBe(true);
    expect(answer).toBe(LONG_BACKUP);
  });

  it('--json: one document with provider, model, content, attempts and usage', async () => {
    providers = await startProviders();
    const io = fakeIO(false);
    await runPrompt({ engine: providers.engine(), request, json: true, outbox: undefined, io });
    expect(JSON.parse(io.out)).toEqual({
      provider: 'primary',
      model: 'primary-model',
      content: 'Hello from primary. You sent 1 message to primary-model.',
      attempts: [expect.objectContaining({ provider: 'primary', outcome: 'success' })],
      usage: expect.objectContaining({ total_tokens: expect.any(Number) }),
    });
  });

  it('every provider failed: exit 3, the reason per provider, and the prompt saved to the outbox as an input line', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'status', status: 503 });
    await providers.backup.setFault({ type: 'status', status: 401 });
    const io = fakeIO(false);
    const outbox = files.path('outbox.jsonl');
    const code = await runPrompt({ engine: providers.engine(), request, json: false, outbox, io });
    expect(code).toBe(ExitCode.allFailed);
    expect(io.out).toBe('');
    expect(io.logs.slice(0, 3)).toEqual(['every provider failed:', '  primary: 503 server error', '  backup: 401 key rejected']);
    const [entry] = readLines(outbox);
    expect(entry).toMatchObject({ id: expect.stringMatching(/^prompt-/), messages: request.messages, reason: 'exhausted' });
  });

  it('--no-outbox: nothing is saved', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'status', status: 503 });
    await providers.backup.setFault({ type: 'status', status: 503 });
    const io = fakeIO(false);
    const code = await runPrompt({ engine: providers.engine(), request, json: true, outbox: undefined, io });
    expect(code).toBe(ExitCode.allFailed);
    expect(JSON.parse(io.out)).toMatchObject({ provider: null, reason: 'exhausted' });
    expect(existsSync(files.path('understudy-outbox.jsonl'))).toBe(false);
  });

  it('a request the provider rejects (400) is exit 1 and is not failed over', async () => {
    providers = await startProviders();
    await providers.primary.setFault({ type: 'status', status: 400 });
    const io = fakeIO(false);
    const code = await runPrompt({ engine: providers.engine(), request, json: false, outbox: files.path('outbox.jsonl'), io });
    expect(code).toBe(ExitCode.problem);
    expect(io.logs[0]).toMatch(/primary rejected the request: 400 bad request/);
    expect(providers.backup.counters.completions).toBe(0);
    expect(existsSync(files.path('outbox.jsonl'))).toBe(false);
  });
});
