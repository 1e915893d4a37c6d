import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { AllProvidersFailed } from '../../src/engine/errors.js';
import type { EngineEvent, UnderstudyConfigInput } from '../../src/index.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';

// The same engine as the unit tests, but over real sockets to mock providers on 127.0.0.1 and
// with the real clock: proves the SDK's errors are classified as the table says on the wire.
// Timeouts here are tiny real ones (≤ 300 ms) because the engine's own timers must fire.

const mocks: MockProvider[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((mock) => mock.close()));
});

async function pair(settings: Omit<Partial<UnderstudyConfigInput>, 'providers'> = {}) {
  const primary = await startMockProvider({ name: 'primary', key: 'sk-primary-key-0001', models: ['p-model'] });
  const backup = await startMockProvider({ name: 'backup', key: 'sk-backup-key-0002', models: ['b-model'] });
  mocks.push(primary, backup);
  const events: EngineEvent[] = [];
  const engine = createEngine(
    {
      providers: [
        { name: 'primary', baseURL: primary.baseURL, apiKey: 'sk-primary-key-0001', model: 'p-model' },
        { name: 'backup', baseURL: backup.baseURL, apiKey: 'sk-backup-key-0002', model: 'b-model' },
      ],
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5, jitter: false },
      ...settings,
    },
    { onEvent: (event) => events.push(event) },
  );
  return { primary, backup, engine, events };
}

const PROMPT = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 5 };

describe('engine over HTTP against mock providers', () => {
  it('answers from the primary when it is healthy', async () => {
    const { engine, backup } = await pair();
    const result = await engine.complete(PROMPT);
    expect(result.provider).toBe('primary');
    expect(result.choices[0]!.message.content).toMatch(/primary/);
    expect(backup.counters.completions).toBe(0);
  });

  it.each([
    ['connection refused', { type: 'refuse' as const }, 'connection'],
    ['connection reset', { type: 'reset' as const }, 'connection'],
    ['503', { type: 'status' as const, status: 503 }, 'server'],
    ['an HTML 502 page', { type: 'html' as const }, 'server'],
    ['a 200 HTML page', { type: 'html' as const, status: 200 }, 'malformed'],
    ['broken JSON', { type: 'malformed-json' as const }, 'malformed'],
  ])('fails over on %s, retrying it first', async (_, fault, kind) => {
    const { engine, primary } = await pair();
    await primary.setFault(fault);
    const result = await engine.complete(PROMPT);
    expect(result.provider).toBe('backup');
    const failures = result.attempts.filter((a) => a.provider === 'primary');
    expect(failures).toHaveLength(2);
    expect(failures.every((a) => a.error?.kind === kind)).toBe(true);
  });

  it('fails over on a rejected key without retrying it', async () => {
    const { engine, primary } = await pair();
    const wrongKey = createEngine({
      providers: [
        { name: 'primary', baseURL: primary.baseURL, apiKey: 'sk-wrong-key-9999', model: 'p-model' },
        { name: 'backup', baseURL: mocks[1]!.baseURL, apiKey: 'sk-backup-key-0002', model: 'b-model' },
      ],
    });
    const result = await wrongKey.complete(PROMPT);
    expect(result.provider).toBe('backup');
    expect(result.attempts[0]).toMatchObject({ status: 401, error: { class: 'provider-only', kind: 'auth' } });
    expect(primary.counters.completions).toBe(1);
    expect(engine.state()[0]!.breaker).toBe('closed');
  });

  it('times out a hung primary with its own timer, though headers never came', async () => {
    const { engine, primary } = await pair({ timeoutMs: 150, retry: { maxRetries: 0 } });
    await primary.setFault({ type: 'hang' });
    const result = await engine.complete(PROMPT);
    expect(result.provider).toBe('backup');
    expect(result.attempts[0]!.error).toMatchObject({ kind: 'timeout', timeout: 'call' });
  });

  it('fails a stream over when its first token is too slow', async () => {
    const { engine, primary } = await pair({ firstTokenTimeoutMs: 150, retry: { maxRetries: 0 } });
    await primary.setFault({ type: 'slow-first-token', delayMs: 5_000 });
    const stream = engine.stream(PROMPT);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(stream.provider).toBe('backup');
    expect(text).toMatch(/backup/);
    expect(stream.attempts[0]!.error).toMatchObject({ kind: 'timeout', timeout: 'first-token' });
  });

  it('restarts a stream cut mid-answer on the backup, and says so before the new text', async () => {
    const { engine, primary, events } = await pair({ retry: { maxRetries: 0 } });
    await primary.setFault({ type: 'drop-mid-stream', afterChunks: 2 });
    const parts: string[] = [];
    const stream = engine.stream(PROMPT, { onRestart: () => parts.push('<restart>') });
    for await (const chunk of stream) parts.push(chunk.choices[0]?.delta?.content ?? '');
    const afterRestart = parts.slice(parts.indexOf('<restart>') + 1).join('');
    expect(parts).toContain('<restart>');
    expect(afterRestart).toMatch(/backup/);
    expect(afterRestart).not.toMatch(/primary/);
    expect(events.some((event) => event.type === 'restart')).toBe(true);
  });

  it('reports every attempt when every provider is down', async () => {
    const { engine, primary, backup } = await pair({ retry: { maxRetries: 0 } });
    await primary.setFault({ type: 'status', status: 503 });
    await backup.setFault({ type: 'refuse' });
    const error = (await engine.complete(PROMPT).catch((e: unknown) => e)) as AllProvidersFailed;
    expect(error).toBeInstanceOf(AllProvidersFailed);
    expect(error.message).toBe('every provider failed: primary: 503; backup: connection');
  });

  it('waits out a 429 Retry-After on the wire and gets its answer from the primary', async () => {
    const { engine, primary, backup } = await pair();
    await primary.setFault({ type: 'status', status: 429, headers: { 'retry-after-ms': '50' } }, { count: 1 });
    const result = await engine.complete(PROMPT);
    expect(result.provider).toBe('primary');
    expect(backup.counters.completions).toBe(0);
  });
});
