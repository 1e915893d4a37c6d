import { describe, expect, it } from 'vitest';
import { RequestFailed } from '../../src/engine/errors.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { completion, sse, status } from '../support/scripted-fetch.js';

describe('how a request ends, as events tell it', () => {
  it('success carries the usage the provider reported', async () => {
    const h = harness({ primary: [completion()] });
    await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.eventsOf('success')[0]).toMatchObject({ usage: { inputTokens: 1, outputTokens: 1 } });
    expect(h.eventsOf('success')[0]!.firstTokenMs).toBeUndefined();
  });

  it('a stream says when its first token came, failovers included', async () => {
    const h = harness({ primary: [status(503)], backup: [sse(['a'])] }, { retry: { maxRetries: 1, baseDelayMs: 250 } });
    const stream = h.engine.stream(PROMPT);
    await h.clock.settle((async () => { for await (const chunk of stream) void chunk; })());
    expect(h.eventsOf('success')[0]).toMatchObject({ provider: 'backup', firstTokenMs: 250 });
  });

  it('exhausted says how long the request took', async () => {
    const h = harness({ primary: [status(503)] }, { retry: { maxRetries: 1, baseDelayMs: 300 } });
    await h.clock.settle(h.engine.complete(PROMPT)).catch(() => {});
    expect(h.eventsOf('exhausted')[0]).toMatchObject({ ms: 300 });
  });

  it('a rejected request ends with failed, once', async () => {
    const h = harness({ primary: [status(400)], backup: [completion()] });
    await expect(h.clock.settle(h.engine.complete(PROMPT))).rejects.toBeInstanceOf(RequestFailed);
    expect(h.eventsOf('failed')).toHaveLength(1);
    expect(h.eventsOf('failed')[0]).toMatchObject({ provider: 'primary', error: { kind: 'bad-request', status: 400 } });
  });

  it('a caller abort during the backoff ends with failed', async () => {
    const h = harness({ primary: [status(503), completion()] }, { retry: { maxRetries: 1, baseDelayMs: 1_000 } });
    const controller = new AbortController();
    const request = h.engine.complete(PROMPT, { signal: controller.signal });
    request.catch(() => {});
    await h.clock.advance(10);
    controller.abort();
    await expect(h.clock.settle(request)).rejects.toBeInstanceOf(RequestFailed);
    expect(h.eventsOf('failed')[0]).toMatchObject({ error: { kind: 'aborted' } });
  });

  it('a stream whose consumer stops early ends with failed (aborted), and with no success', async () => {
    const h = harness({ primary: [sse(['a', 'b', 'c'])] });
    for await (const chunk of h.engine.stream(PROMPT)) {
      void chunk;
      break;
    }
    expect(h.eventsOf('success')).toEqual([]);
    expect(h.eventsOf('failed')).toMatchObject([{ provider: 'primary', error: { kind: 'aborted' } }]);
  });

  it('a stream read to its end sends no failed', async () => {
    const h = harness({ primary: [sse(['a', 'b'])] });
    for await (const chunk of h.engine.stream(PROMPT)) void chunk;
    expect(h.eventsOf('failed')).toEqual([]);
    expect(h.eventsOf('success')).toHaveLength(1);
  });
});
