import { describe, expect, it } from 'vitest';
import { AllProvidersFailed, RequestFailed } from '../../src/engine/errors.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { completion, hang, refuse, sse, status } from '../support/scripted-fetch.js';

describe('Retry-After', () => {
  it('waits out a short Retry-After on the same provider, then succeeds there', async () => {
    const h = harness({ primary: [status(429, 'slow down', { 'retry-after': '2' }), completion('ok')], backup: [completion('backup')] });
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('primary');
    expect(h.eventsOf('retry')[0]!.delayMs).toBe(2_000);
    expect(h.clock.now()).toBe(2_000);
    expect(h.calls('backup')).toBe(0);
  });

  it('moves on at once when Retry-After is longer than maxRetryAfterMs', async () => {
    const h = harness(
      { primary: [status(429, 'quota', { 'retry-after': '120' })], backup: [completion()] },
      { retry: { maxRetryAfterMs: 30_000 } },
    );
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('backup');
    expect(h.calls('primary')).toBe(1);
    expect(h.clock.now()).toBe(0);
  });

  it("waits out OpenAI's x-ratelimit-reset of the exhausted limit like a Retry-After", async () => {
    const headers = { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1.5s', 'x-ratelimit-reset-tokens': '6m0s' };
    const h = harness({ primary: [status(429, 'Rate limit reached for requests', headers), completion('ok')], backup: [completion('backup')] });
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('primary');
    expect(h.eventsOf('retry')[0]!.delayMs).toBe(1_500);
    expect(h.clock.now()).toBe(1_500);
  });

  it('fails over at once when the x-ratelimit-reset is past maxRetryAfterMs', async () => {
    const headers = { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' };
    const h = harness({ primary: [status(429, 'Rate limit reached for tokens', headers)], backup: [completion()] }, { retry: { maxRetryAfterMs: 30_000 } });
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('backup');
    expect(h.calls('primary')).toBe(1);
    expect(result.attempts[0]!.error).toMatchObject({ kind: 'rate-limit', retryAfterMs: 360_000 });
  });

  it('honours Retry-After on a 503 too', async () => {
    const h = harness({ primary: [status(503, 'busy', { 'retry-after': '1' }), completion()], backup: [completion()] });
    await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.eventsOf('retry')[0]!.delayMs).toBe(1_000);
  });
});

describe('out of credit', () => {
  it('fails over without a retry and keeps the provider out for the long cool-down', async () => {
    const quota = status(429, 'You exceeded your current quota, please check your plan and billing details.', undefined, 'insufficient_quota');
    const h = harness({ primary: [quota, completion('primary again')], backup: [completion('backup')] }, { retry: { maxRetries: 3 }, breaker: { cooldownMs: 1_000, providerErrorCooldownMs: 600_000 } });
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('backup');
    expect(h.calls('primary')).toBe(1);
    expect(result.attempts[0]!.error).toMatchObject({ class: 'provider-only', kind: 'quota', status: 429 });
    expect(h.engine.state()[0]).toMatchObject({ breaker: 'open', retryAt: 600_000 });
    // A plain rate limit on the same status stays retryable.
    const limited = harness({ primary: [status(429, 'Rate limit reached'), completion('ok')], backup: [completion()] });
    expect((await limited.clock.settle(limited.engine.complete(PROMPT))).provider).toBe('primary');
  });
});

describe('breaker across requests', () => {
  it('opens after the threshold; later requests skip the primary without calling it', async () => {
    const h = harness(
      { primary: [status(503)], backup: [completion()] },
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, cooldownMs: 10_000 } },
    );
    for (let i = 0; i < 3; i++) await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.engine.state()[0]!.breaker).toBe('open');
    const before = h.calls('primary');
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('backup');
    expect(h.calls('primary')).toBe(before);
    expect(result.attempts[0]).toMatchObject({ provider: 'primary', outcome: 'skipped', reason: 'breaker open' });
    expect(h.eventsOf('failover').at(-1)).toMatchObject({ from: 'primary', to: 'backup', reason: 'breaker open' });
  });

  it('returns to the primary after the cool-down once its trial succeeds', async () => {
    const h = harness(
      { primary: [status(503)], backup: [completion()] },
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 5_000 } },
    );
    await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.engine.state()[0]!.breaker).toBe('open');
    h.script('primary', [completion('primary is back')]);
    await h.clock.advance(4_999);
    expect((await h.clock.settle(h.engine.complete(PROMPT))).provider).toBe('backup');
    await h.clock.advance(1);
    const back = await h.clock.settle(h.engine.complete(PROMPT));
    expect(back.provider).toBe('primary');
    expect(h.engine.state()[0]!.breaker).toBe('closed');
    expect(h.eventsOf('recovered')).toEqual([expect.objectContaining({ provider: 'primary', downForMs: 5_000 })]);
  });

  it('admits one half-open trial under concurrency: the rest go to the backup meanwhile', async () => {
    const h = harness(
      { primary: [status(503)], backup: [completion()] },
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 1_000 } },
    );
    await h.clock.settle(h.engine.complete(PROMPT));
    await h.clock.advance(1_000);
    h.script('primary', [hang()]);
    const before = h.calls('primary');
    const requests = Array.from({ length: 5 }, () => h.engine.complete(PROMPT));
    const results = await h.clock.settle(Promise.allSettled(requests));
    expect(h.calls('primary') - before).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.provider === 'backup')).toHaveLength(5);
  });

  it('puts a timed-out half-open trial back to open with a longer cool-down', async () => {
    const h = harness(
      { primary: [status(503)], backup: [completion()] },
      { timeoutMs: 500, retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 1_000 } },
    );
    await h.clock.settle(h.engine.complete(PROMPT));
    await h.clock.advance(1_000);
    h.script('primary', [hang()]);
    await h.clock.settle(h.engine.complete(PROMPT));
    const state = h.engine.state()[0]!;
    expect(state.breaker).toBe('open');
    expect(state.retryAt! - h.clock.now()).toBe(2_000);
  });

  it('puts a cancelled half-open trial back to open, never stuck half-open', async () => {
    const h = harness(
      { primary: [status(503)], backup: [hang()] },
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 1_000 } },
    );
    await h.clock.settle(h.engine.complete(PROMPT)).catch(() => {});
    await h.clock.advance(60_000);
    h.script('primary', [hang()]);
    const controller = new AbortController();
    const pending = h.engine.complete(PROMPT, { signal: controller.signal });
    await h.clock.advance(1);
    expect(h.engine.state()[0]!.breaker).toBe('half-open');
    controller.abort();
    await expect(h.clock.settle(pending)).rejects.toBeInstanceOf(RequestFailed);
    expect(h.engine.state()[0]!.breaker).toBe('open');
    h.script('primary', [completion()]);
    expect((await h.clock.settle(h.engine.complete(PROMPT))).provider).toBe('primary');
  });

  it('with every breaker open, still tries the provider whose cool-down ends soonest', async () => {
    const h = harness(
      { primary: [status(503)], backup: [status(503)] },
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 60_000 } },
    );
    await h.clock.settle(h.engine.complete(PROMPT)).catch(() => {});
    expect(h.engine.state().map((p) => p.breaker)).toEqual(['open', 'open']);
    h.script('primary', [completion('primary')]);
    h.script('backup', [completion('backup')]);
    await h.clock.advance(10);
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    // The primary opened first, so its cool-down ends first.
    expect(result.provider).toBe('primary');
    expect(h.calls('backup')).toBe(1);
  });
});

describe('budgets', () => {
  it('caps the total attempts across providers', async () => {
    const h = harness({ a: [status(503)], b: [status(503)], c: [status(503)] }, { maxAttempts: 4, retry: { maxRetries: 2 } });
    const error = (await h.clock.settle(h.engine.complete(PROMPT)).catch((e: unknown) => e)) as AllProvidersFailed;
    expect(error).toBeInstanceOf(AllProvidersFailed);
    expect(h.calls('a') + h.calls('b') + h.calls('c')).toBe(4);
  });

  it('stops starting attempts at the deadline, and caps each call to the time left', async () => {
    const h = harness({ a: [hang()], b: [hang()], c: [completion()] }, { deadlineMs: 1_500, timeoutMs: 1_000, retry: { maxRetries: 0 } });
    await expect(h.clock.settle(h.engine.complete(PROMPT))).rejects.toBeInstanceOf(AllProvidersFailed);
    expect(h.calls('c')).toBe(0);
    expect(h.clock.now()).toBe(1_500);
  });
});

describe('context-window fallback', () => {
  const tooLong = status(400, "This model's maximum context length is 8192 tokens", undefined, 'context_length_exceeded');

  it('fails over a too-long prompt only to a provider with a larger context window', async () => {
    const h = harness(
      { small: [tooLong], same: [completion('same')], large: [completion('large')] },
      { providerExtras: { small: { contextWindow: 8_192 }, same: { contextWindow: 8_192 }, large: { contextWindow: 128_000 } } },
    );
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('large');
    expect(h.calls('same')).toBe(0);
    expect(h.engine.state()[0]!.breaker).toBe('closed');
  });

  it('keeps any other 400 fatal', async () => {
    const h = harness({ small: [status(400, 'messages: required')], large: [completion()] });
    await expect(h.clock.settle(h.engine.complete(PROMPT))).rejects.toBeInstanceOf(RequestFailed);
    expect(h.calls('large')).toBe(0);
  });
});

describe('results and events', () => {
  it('says who answered, with which model, and every attempt made', async () => {
    const h = harness({ primary: [refuse()], backup: [completion('hi', 'backup-model-v2')] }, { retry: { maxRetries: 0 } });
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result).toMatchObject({ provider: 'backup', model: 'backup-model-v2' });
    expect(result.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['primary', 'failure'],
      ['backup', 'success'],
    ]);
    expect(h.events.map((e) => e.type)).toEqual(['attempt', 'failure', 'failover', 'attempt', 'success']);
  });

  it('sends each provider its own model and never the caller a model choice', async () => {
    const h = harness({ primary: [status(503)], backup: [completion()] }, { retry: { maxRetries: 0 } });
    await h.clock.settle(h.engine.complete(PROMPT));
    expect((h.net.bodies('127.0.0.1:20001')[0] as { model: string }).model).toBe('primary-model');
    expect((h.net.bodies('127.0.0.1:20002')[0] as { model: string }).model).toBe('backup-model');
  });
});

describe('a route per request', () => {
  it('uses only the providers named, in the order named', async () => {
    const h = harness({ a: [completion('a')], b: [status(503)], c: [completion('c')] }, { retry: { maxRetries: 0 } });
    const result = await h.clock.settle(h.engine.complete(PROMPT, { providers: ['b', 'c'] }));
    expect(result.provider).toBe('c');
    expect(h.calls('a')).toBe(0);
    expect(result.attempts.map((a) => a.provider)).toEqual(['b', 'c']);
  });

  it('restarts a broken stream on the next provider of the route, not of the config', async () => {
    const h = harness({ a: [sse(['x'])], b: [sse(['one ', 'two'], { dropAfter: 1 })], c: [sse(['whole'])] });
    const stream = h.engine.stream(PROMPT, { providers: ['b', 'c'] });
    await h.clock.settle((async () => {
      for await (const _ of stream) void _;
    })());
    expect(stream.provider).toBe('c');
    expect(h.calls('a')).toBe(0);
  });

  it('refuses a provider that does not exist', async () => {
    const h = harness({ a: [completion()] });
    await expect(h.engine.complete(PROMPT, { providers: ['nope'] })).rejects.toThrow('no provider named "nope" (known: a)');
  });
});
