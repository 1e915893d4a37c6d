import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { classify } from '../../src/engine/classify.js';
import type { AttemptError, CompletionRequest } from '../../src/engine/types.js';
import type { Fault } from '../../src/mock/faults.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { createProviderClient, type ProviderClient, type ProviderTransport } from '../../src/providers/openai-compatible.js';

// Every case runs against both transports; the http one must be indistinguishable to the engine.
const TRANSPORTS: readonly ProviderTransport[] = ['sdk', 'http'];
const KEY = 'sk-parity-0123456789';
const REQUEST: CompletionRequest = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 };

type Call = 'complete' | 'stream' | 'models';

/** What the engine could observe of one call: the classified error (if any) and the chunks before it. */
interface Outcome {
  readonly error?: Pick<AttemptError, 'kind' | 'class' | 'status' | 'retryAfterMs'>;
  /** Streams only: chunks read before the end or the error. */
  readonly chunks?: number;
}

interface Case {
  readonly name: string;
  readonly call: Call;
  readonly fault: Fault;
  /** Abort the call this long after the mock received the request. */
  readonly abortAfterMs?: number;
  /** What both transports must produce; the kind is pinned so both breaking alike still fails. */
  readonly expected: Outcome;
}

const CASES: readonly Case[] = [
  { name: '503', call: 'complete', fault: { type: 'status', status: 503 }, expected: { error: { kind: 'server', class: 'retryable', status: 503 } } },
  {
    name: '429 with retry-after',
    call: 'complete',
    fault: { type: 'status', status: 429, headers: { 'retry-after': '2' } },
    expected: { error: { kind: 'rate-limit', class: 'retryable', status: 429, retryAfterMs: 2000 } },
  },
  { name: '401', call: 'complete', fault: { type: 'status', status: 401 }, expected: { error: { kind: 'auth', class: 'provider-only', status: 401 } } },
  { name: '404', call: 'complete', fault: { type: 'status', status: 404 }, expected: { error: { kind: 'not-found', class: 'provider-only', status: 404 } } },
  { name: '400', call: 'complete', fault: { type: 'status', status: 400 }, expected: { error: { kind: 'bad-request', class: 'fatal', status: 400 } } },
  {
    name: '502 as an HTML page',
    call: 'complete',
    fault: { type: 'html' },
    expected: { error: { kind: 'server', class: 'retryable', status: 502 } },
  },
  { name: 'a 200 HTML page', call: 'complete', fault: { type: 'html', status: 200 }, expected: { error: { kind: 'malformed', class: 'retryable' } } },
  { name: 'malformed JSON', call: 'complete', fault: { type: 'malformed-json' }, expected: { error: { kind: 'malformed', class: 'retryable' } } },
  { name: 'reset', call: 'complete', fault: { type: 'reset' }, expected: { error: { kind: 'connection', class: 'retryable' } } },
  { name: 'refused', call: 'complete', fault: { type: 'refuse' }, expected: { error: { kind: 'connection', class: 'retryable' } } },
  { name: 'hang, then abort', call: 'complete', fault: { type: 'hang' }, abortAfterMs: 30, expected: { error: { kind: 'aborted', class: 'fatal' } } },
  {
    name: 'slow answer, then abort',
    call: 'complete',
    fault: { type: 'slow-first-token', delayMs: 10_000 },
    abortAfterMs: 30,
    expected: { error: { kind: 'aborted', class: 'fatal' } },
  },
  {
    name: 'half a body, then reset',
    call: 'complete',
    fault: { type: 'drop-mid-stream', afterChunks: 0 },
    expected: { error: { kind: 'connection', class: 'retryable' } },
  },
  { name: 'stream: 503', call: 'stream', fault: { type: 'status', status: 503 }, expected: { error: { kind: 'server', class: 'retryable', status: 503 }, chunks: 0 } },
  { name: 'stream: 401', call: 'stream', fault: { type: 'status', status: 401 }, expected: { error: { kind: 'auth', class: 'provider-only', status: 401 }, chunks: 0 } },
  { name: 'stream: reset', call: 'stream', fault: { type: 'reset' }, expected: { error: { kind: 'connection', class: 'retryable' }, chunks: 0 } },
  { name: 'stream: refused', call: 'stream', fault: { type: 'refuse' }, expected: { error: { kind: 'connection', class: 'retryable' }, chunks: 0 } },
  { name: 'stream: malformed event', call: 'stream', fault: { type: 'malformed-json' }, expected: { error: { kind: 'malformed', class: 'retryable' }, chunks: 0 } },
  // The body is HTML, not events: the stream ends with no chunk, and the engine calls that malformed.
  { name: 'stream: a 200 HTML page', call: 'stream', fault: { type: 'html', status: 200 }, expected: { chunks: 0 } },
  {
    name: 'stream: dropped mid-stream',
    call: 'stream',
    fault: { type: 'drop-mid-stream', afterChunks: 2 },
    expected: { error: { kind: 'connection', class: 'retryable' }, chunks: 2 },
  },
  { name: 'stream: hang, then abort', call: 'stream', fault: { type: 'hang' }, abortAfterMs: 30, expected: { error: { kind: 'aborted', class: 'fatal' }, chunks: 0 } },
  // Headers arrive at once, so the abort lands mid-stream: the SDK ends such a stream quietly, and so must the other.
  {
    name: 'stream: slow first token, then abort',
    call: 'stream',
    fault: { type: 'slow-first-token', delayMs: 10_000 },
    abortAfterMs: 30,
    expected: { chunks: 0 },
  },
  { name: 'models: 503', call: 'models', fault: { type: 'status', status: 503 }, expected: { error: { kind: 'server', class: 'retryable', status: 503 } } },
  { name: 'models: 401', call: 'models', fault: { type: 'status', status: 401 }, expected: { error: { kind: 'auth', class: 'provider-only', status: 401 } } },
  { name: 'models: reset', call: 'models', fault: { type: 'reset' }, expected: { error: { kind: 'connection', class: 'retryable' } } },
];

let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider({ name: 'parity', key: KEY, models: ['parity-model'] });
});

afterAll(async () => {
  await mock.close();
});

function clientFor(transport: ProviderTransport): ProviderClient {
  const provider = normalizeConfig({ providers: [{ name: 'parity', baseURL: mock.baseURL, apiKey: KEY, model: 'parity-model' }] }).providers[0]!;
  return createProviderClient(provider, { transport });
}

/** Runs one call as the engine would and reports what it could see. */
async function observe(client: ProviderClient, call: Call, abortAfterMs: number | undefined): Promise<Outcome> {
  const controller = new AbortController();
  const before = mock.counters.requests;
  if (abortAfterMs !== undefined) {
    // Once the request has reached the mock (it counts on arrival), give it a moment, then abort.
    void waitUntil(() => mock.counters.requests > before).then(() => setTimeout(() => controller.abort(), abortAfterMs));
  }
  let chunks = 0;
  try {
    if (call === 'complete') await client.complete(REQUEST, controller.signal);
    else if (call === 'models') await client.listModels(controller.signal);
    else {
      const stream = await client.stream(REQUEST, controller.signal);
      // Parsed as the engine parses each chunk for a library reader: a broken one throws here.
      for await (const chunk of stream) {
        void chunk.value;
        chunks++;
      }
    }
  } catch (error) {
    const { kind, class: failureClass, status, retryAfterMs } = classify(error);
    return withChunks(call, chunks, {
      error: { kind, class: failureClass, ...(status === undefined ? {} : { status }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    });
  }
  return withChunks(call, chunks, {});
}

function withChunks(call: Call, chunks: number, outcome: Outcome): Outcome {
  return call === 'stream' ? { ...outcome, chunks } : outcome;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('the http transport classifies every fault as the SDK transport does', () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const outcomes: Partial<Record<ProviderTransport, Outcome>> = {};
      for (const transport of TRANSPORTS) {
        // Each transport gets a fresh client (no pooled socket from the other) and a fault of its own.
        await mock.setFault(testCase.fault, testCase.fault.type === 'refuse' ? {} : { count: 1 });
        try {
          outcomes[transport] = await observe(clientFor(transport), testCase.call, testCase.abortAfterMs);
        } finally {
          await mock.clearFault();
        }
      }
      expect(outcomes.http).toEqual(outcomes.sdk);
      expect(outcomes.sdk).toEqual(testCase.expected);
    });
  }
});

describe('the http transport answers as the SDK transport does', () => {
  it('gives the same completion, streamed chunks and model list', async () => {
    const results = [];
    for (const transport of TRANSPORTS) {
      const client = clientFor(transport);
      const signal = new AbortController().signal;
      const completion = await client.complete(REQUEST, signal);
      const chunks = [];
      for await (const chunk of await client.stream({ ...REQUEST, stream_options: { include_usage: true } }, signal)) chunks.push(chunk.value);
      const models = await client.listModels(signal);
      results.push({ completion: { ...completion, id: 'x', created: 0 }, chunks: chunks.map((chunk) => ({ ...chunk, id: 'x', created: 0 })), models });
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.completion.choices[0]!.message.content).toMatch(/Hello from parity/);
    expect(results[0]!.chunks.length).toBeGreaterThan(2);
    expect(results[0]!.models).toEqual(['parity-model']);
  });

});
