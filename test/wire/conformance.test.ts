import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { AllProvidersFailed, RequestFailed } from '../../src/engine/errors.js';
import type { AttemptError, Engine, EngineEvent } from '../../src/engine/types.js';
import { startReplayServer, type ReplayServer } from '../../src/mock/replay.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { loadWireFixtures, type WireFixture } from '../../src/mock/wire-fixture.js';
import type { ProviderTransport } from '../../src/providers/openai-compatible.js';

// Every documented vendor answer under fixtures/wire, replayed byte for byte from 127.0.0.1
// through the real engine, on both transports: the primary is the vendor, the backup a mock.
// Each case fails if the class, kind, status, wait or the provider's words change, and checks
// what the class means for the request (failed over, or surfaced without touching the backup).

const FIXTURES = loadWireFixtures(fileURLToPath(new URL('../../fixtures/wire', import.meta.url)));
const TRANSPORTS: readonly ProviderTransport[] = ['sdk', 'http'];
const PROMPT = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 5 };

let backup: MockProvider;
const replays: ReplayServer[] = [];
beforeAll(async () => {
  backup = await startMockProvider({ name: 'backup', models: ['b-model'], reply: 'from the backup' });
});
afterAll(() => backup.close());
afterEach(async () => {
  await Promise.all(replays.splice(0).map((replay) => replay.close()));
  backup.resetCounters();
});

async function engineFor(fixture: WireFixture, transport: ProviderTransport, midStream: 'restart' | 'fail' = 'restart') {
  const vendor = await startReplayServer({ 'POST /chat/completions': fixture.response });
  replays.push(vendor);
  const events: EngineEvent[] = [];
  const engine = createEngine(
    {
      providers: [
        { name: 'vendor', baseURL: vendor.baseURL, apiKey: 'sk-wire-vendor-0001', model: 'v-model' },
        { name: 'backup', baseURL: backup.baseURL, apiKey: 'sk-wire-backup-0002', model: 'b-model' },
      ],
      // No retries and no waiting: the class decides what happens next, and the failure event
      // carries the wait the vendor asked for (its honouring is tested with a manual clock).
      retry: { maxRetries: 0, maxRetryAfterMs: 1 },
      midStream,
    },
    { transport, onEvent: (event) => events.push(event) },
  );
  const failure = (): AttemptError | undefined =>
    events.find((event): event is Extract<EngineEvent, { type: 'failure' }> => event.type === 'failure' && event.provider === 'vendor')?.error;
  return { engine, events, failure };
}

function expectClassified(error: AttemptError | undefined, fixture: WireFixture): void {
  const { expect: wanted } = fixture;
  expect(error, 'the vendor call should have failed').toBeDefined();
  expect({ class: error!.class, kind: error!.kind }).toEqual({ class: wanted.class, kind: wanted.kind });
  if (wanted.status !== undefined) expect(error!.status).toBe(wanted.status);
  expect(error!.retryAfterMs).toBe(wanted.retryAfterMs);
  expect(error!.message).toContain(wanted.message);
}

/** The answer as a consumer keeps it: what came before a restart is discarded. */
async function readAll(engine: Engine): Promise<string> {
  let text = '';
  const stream = engine.stream(PROMPT, { onRestart: () => (text = '') });
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

describe.each(TRANSPORTS)('vendor wire fixtures over the %s transport', (transport) => {
  it.each(FIXTURES.map((fixture) => [fixture.id, fixture] as const))('%s', async (_id, fixture) => {
    const { engine, events, failure } = await engineFor(fixture, transport);
    const fatal = fixture.expect.class === 'fatal';
    // A prompt too long for the vendor goes only to a provider with a larger contextWindow: none here.
    const surfaced = fixture.expect.kind === 'context-length' ? AllProvidersFailed : RequestFailed;
    if (fixture.call === 'complete') {
      const answer = engine.complete(PROMPT);
      if (fatal) {
        await expect(answer).rejects.toBeInstanceOf(surfaced);
        expect(backup.counters.completions, 'a fatal failure must not be failed over').toBe(0);
      } else {
        expect((await answer).provider).toBe('backup');
      }
    } else {
      if (fatal) {
        await expect(readAll(engine)).rejects.toBeInstanceOf(surfaced);
      } else {
        expect(await readAll(engine)).toBe('from the backup');
        const restarts = events.filter((event) => event.type === 'restart');
        // Only an error after content makes a restart: before it, the stream simply failed over.
        expect(restarts).toHaveLength(fixture.expect.afterFirstToken ? 1 : 0);
      }
    }
    expectClassified(failure(), fixture);
  });
});

describe('mid-stream error events with midStream: fail', () => {
  const midStream = FIXTURES.filter((fixture) => fixture.expect.afterFirstToken);

  it.each(midStream.map((fixture) => [fixture.id, fixture] as const))('%s surfaces instead of restarting', async (_id, fixture) => {
    for (const transport of TRANSPORTS) {
      const { engine, failure } = await engineFor(fixture, transport, 'fail');
      const error = await readAll(engine).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(RequestFailed);
      expect((error as RequestFailed).error.kind).toBe(fixture.expect.kind);
      expectClassified(failure(), fixture);
      expect(backup.counters.completions).toBe(0);
    }
  });

  it('covers at least one vendor', () => {
    expect(midStream.length).toBeGreaterThan(0);
  });
});

describe('the fixture set', () => {
  it('has every preset vendor and Azure, each file saying where it came from', () => {
    const vendors = new Set(FIXTURES.map((fixture) => fixture.vendor));
    for (const vendor of ['openai', 'anthropic', 'gemini', 'groq', 'mistral', 'together', 'openrouter', 'deepseek', 'fireworks', 'ollama', 'azure']) {
      expect(vendors, vendor).toContain(vendor);
    }
    for (const fixture of FIXTURES) {
      expect(fixture.id.startsWith(`${fixture.vendor}/`), fixture.id).toBe(true);
      // A page (https://...) or a file of a public repository (owner/repo path).
      expect(fixture.source, fixture.id).toMatch(/https:\/\/|^[\w.-]+\/[\w.-]+ \S/);
    }
  });
});
