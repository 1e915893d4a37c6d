import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/types.js';
import { startGateway } from '../../src/serve/server.js';
import { BACKUP_KEY, directAnswer, PRIMARY_KEY, PROMPT, startSetup } from './helpers.js';

describe('POST /v1/chat/completions, streamed', () => {
  it('streams the primary answer whole, with the understudy headers', async () => {
    const { client, primary } = await startSetup();
    const expected = await directAnswer(primary, PRIMARY_KEY, 'p-model');
    const { data: stream, response } = await client.chat.completions.create({ ...PROMPT, stream: true }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(expected);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-understudy-provider')).toBe('primary');
    expect(response.headers.get('x-understudy-failover')).toBe('false');
  });

  it('fails over before the first chunk without the client seeing anything but the backup answer', async () => {
    const { client, primary, backup } = await startSetup();
    const expected = await directAnswer(backup, BACKUP_KEY, 'b-model');
    await primary.setFault({ type: 'status', status: 503 });
    const { data: stream, response } = await client.chat.completions.create({ ...PROMPT, stream: true }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(expected);
    expect(response.headers.get('x-understudy-provider')).toBe('backup');
    expect(response.headers.get('x-understudy-attempts')).toBe('2');
    expect(response.headers.get('x-understudy-failover')).toBe('true');
  });

  it('relays every chunk as the provider wrote it: spacing, key order and vendor fields', async () => {
    const payloads = [
      '{"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
      '{ "choices": [{"index":0,"delta":{"content":"Hi"},"finish_reason":null}], "id": "c1", "x_vendor": {"queue_ms": 3} }',
      '{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}',
    ];
    const provider = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(payloads.map((payload) => `data: ${payload}\n\n`).join('') + 'data: [DONE]\n\n'));
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const baseURL = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`;
    const gateway = await startGateway({ providers: [{ name: 'scripted', baseURL, apiKey: PRIMARY_KEY, model: 'm' }] }, { port: 0 });
    try {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...PROMPT, stream: true }) });
      expect(await response.text()).toBe([...payloads, '[DONE]'].map((payload) => `data: ${payload}\n\n`).join(''));
    } finally {
      await gateway.close({ graceMs: 1_000 });
      await new Promise((resolve) => provider.close(resolve));
    }
  });

  it('keeps stream_options: usage arrives in the last chunk', async () => {
    const { client } = await startSetup();
    const stream = await client.chat.completions.create({ ...PROMPT, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 1 });
  });

  it('answers an ordinary error, not a stream, when every provider fails before the first chunk', async () => {
    const { client, primary, backup } = await startSetup();
    await primary.setFault({ type: 'status', status: 503 });
    await backup.setFault({ type: 'status', status: 503 });
    const error = (await client.chat.completions.create({ ...PROMPT, stream: true }).catch((thrown: unknown) => thrown)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(503);
    expect(error.headers?.get('retry-after')).toBeTruthy();
  });

  it('ends a stream the provider drops after its first chunk with an error the SDK throws, not a clean close', async () => {
    const { client, primary, backup } = await startSetup();
    await primary.setFault({ type: 'drop-mid-stream', afterChunks: 2 });
    const stream = await client.chat.completions.create({ ...PROMPT, stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toMatch(/primary failed after the answer had started.*incomplete/);
    expect(text).toBe('Hello from ');
    // No restart on the backup: the client already has part of the primary's answer.
    expect(backup.counters.completions).toBe(0);
  });

  it('ends a stream that stalls after its first chunk through the idle timeout', async () => {
    // Real timers, kept tiny: chunks 300 ms apart against a 50 ms idle timeout.
    const { client } = await startSetup({ idleTimeoutMs: 50 }, { primary: { chunkDelayMs: 300 } });
    const stream = await client.chat.completions.create({ ...PROMPT, stream: true });
    const failure = await (async () => {
      for await (const _chunk of stream);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toMatch(/incomplete/);
  });

  it('aborts the engine when the client goes away mid-stream', async () => {
    const { client, gateway } = await startSetup({}, { primary: { chunkDelayMs: 200 } });
    const aborted = new Promise<EngineEvent>((resolve) => {
      gateway.engine.on('failure', (event) => {
        if (event.error.kind === 'aborted') resolve(event);
      });
    });
    const stream = await client.chat.completions.create({ ...PROMPT, stream: true });
    for await (const _chunk of stream) break; // `break` aborts the SDK's request
    await expect(aborted).resolves.toMatchObject({ provider: 'primary' });
  });
});
