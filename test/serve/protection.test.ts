import { APIError, AuthenticationError } from 'openai';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { startMockProvider } from '../../src/mock/server.js';
import { isLoopback, UnprotectedHostError } from '../../src/serve/exposure.js';
import { startGateway } from '../../src/serve/server.js';
import { clientFor, PROMPT, startSetup } from './helpers.js';

const GATEWAY_TOKEN = 'gw-token-abcdef-123456';

describe('gateway protection', () => {
  it('requires a client token when tokens are configured (401 without), but not on health probes', async () => {
    const { gateway } = await startSetup({ serve: { tokens: [GATEWAY_TOKEN] } });
    const anonymous = await clientFor(gateway, 'anything').chat.completions.create(PROMPT).catch((error: unknown) => error);
    expect(anonymous).toBeInstanceOf(AuthenticationError);
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    const answer = await clientFor(gateway, GATEWAY_TOKEN).chat.completions.create(PROMPT);
    expect(answer.choices[0]!.message.content).toMatch(/primary/);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  });

  it('accepts any of several tokens', async () => {
    const { gateway } = await startSetup({ serve: { tokens: ['gw-first-token-0001', GATEWAY_TOKEN] } });
    const answer = await clientFor(gateway, GATEWAY_TOKEN).chat.completions.create(PROMPT);
    expect(answer.choices).toHaveLength(1);
  });

  it('refuses to start beyond loopback without tokens', async () => {
    const config = { providers: [{ name: 'p', baseURL: 'http://127.0.0.1:9/v1', model: 'm' }], serve: { host: '0.0.0.0' } };
    await expect(startGateway(config, { port: 0 })).rejects.toBeInstanceOf(UnprotectedHostError);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['gateway.internal', false],
  ])('knows whether %s is loopback', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  it('answers 413 to a body over the limit without calling a provider', async () => {
    const { client, primary } = await startSetup({ serve: { bodyLimitBytes: 1024 } });
    const big = { ...PROMPT, messages: [{ role: 'user' as const, content: 'x'.repeat(4096) }] };
    const error = (await client.chat.completions.create(big).catch((thrown: unknown) => thrown)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(413);
    expect(primary.counters.completions).toBe(0);
  });

  it('finishes a stream in flight on close, then stops taking connections', async () => {
    const { gateway, client } = await startSetup({}, { primary: { chunkDelayMs: 30 } });
    const stream = await client.chat.completions.create({ ...PROMPT, stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    let text = (await iterator.next()).value?.choices[0]?.delta.content ?? '';
    const closed = gateway.close();
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) text += next.value.choices[0]?.delta.content ?? '';
    await closed;
    expect(text).toBe('Hello from primary. You sent 1 message to p-model.');
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });

  it('ends the stream with an error event when an injected engine restarts it on another provider', async () => {
    const primary = await startMockProvider({ name: 'primary', models: ['p-model'] });
    const backup = await startMockProvider({ name: 'backup', models: ['b-model'] });
    const config = {
      providers: [
        { name: 'primary', baseURL: primary.baseURL, model: 'p-model' },
        { name: 'backup', baseURL: backup.baseURL, model: 'b-model' },
      ],
      retry: { maxRetries: 0 },
    };
    const engine = createEngine({ ...config, midStream: 'restart' });
    const gateway = await startGateway(config, { port: 0, engine });
    try {
      await primary.setFault({ type: 'drop-mid-stream', afterChunks: 2 });
      const stream = await clientFor(gateway).chat.completions.create({ ...PROMPT, stream: true });
      let text = '';
      const failure = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(APIError);
      // Nothing of the backup's answer is spliced onto the primary's.
      expect(text).toBe('Hello from ');
    } finally {
      await gateway.close({ graceMs: 1_000 });
      engine.close();
      await Promise.all([primary.close(), backup.close()]);
    }
  });
});
