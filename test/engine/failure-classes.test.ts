import { describe, expect, it } from 'vitest';
import { Cancellation } from '../../src/engine/cancellation.js';
import { AllProvidersFailed, RequestFailed } from '../../src/engine/errors.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { brokenJson, completion, hang, html, refuse, status } from '../support/scripted-fetch.js';

// One test per row of DESIGN.md's failure-class table: what came back → retried? failed over? breaker?
describe('failure classes', () => {
  const retryable = [
    ['connection refused', refuse()],
    ['503', status(503)],
    ['500', status(500)],
    ['502 HTML page', html(502)],
    ['504', status(504)],
    ['529', status(529)],
    ['429 without Retry-After', status(429)],
    ['a 200 that is an HTML page', html(200)],
    ['a 200 with broken JSON', brokenJson()],
  ] as const;

  for (const [what, reply] of retryable) {
    it(`retries ${what} on the same provider, then fails over`, async () => {
      const h = harness({ primary: [reply], backup: [completion('from backup')] }, { retry: { maxRetries: 2 } });
      const result = await h.clock.settle(h.engine.complete(PROMPT));
      expect(result.provider).toBe('backup');
      expect(result.choices[0]!.message.content).toBe('from backup');
      expect(h.calls('primary')).toBe(3);
      expect(h.eventsOf('retry')).toHaveLength(2);
      expect(result.attempts.filter((a) => a.provider === 'primary').every((a) => a.error?.class === 'retryable')).toBe(true);
    });
  }

  it('times out a call that never answers, retries it, then fails over', async () => {
    const h = harness({ primary: [hang()], backup: [completion()] }, { timeoutMs: 1_000, retry: { maxRetries: 1 } });
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('backup');
    expect(h.calls('primary')).toBe(2);
    expect(result.attempts[0]!.error).toMatchObject({ kind: 'timeout', timeout: 'call', class: 'retryable' });
    // Two 1 s timeouts plus one 100 ms backoff: the wait is bounded by the config, not the provider.
    expect(h.clock.now()).toBe(2_100);
  });

  for (const code of [401, 403]) {
    it(`fails over on ${code} without retrying, and opens the breaker at once`, async () => {
      const h = harness({ primary: [status(code, 'Incorrect API key')], backup: [completion()] });
      const result = await h.clock.settle(h.engine.complete(PROMPT));
      expect(result.provider).toBe('backup');
      expect(h.calls('primary')).toBe(1);
      expect(result.attempts[0]!.error).toMatchObject({ class: 'provider-only', kind: 'auth', status: code });
      expect(h.engine.state()[0]!.breaker).toBe('open');
    });
  }

  it('fails over on a 404 (unknown model or base URL) without retrying', async () => {
    const h = harness({ primary: [status(404, 'The model `gpt-4o-mni` does not exist')], backup: [completion()] });
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('backup');
    expect(h.calls('primary')).toBe(1);
    expect(h.engine.state()[0]!.breaker).toBe('open');
  });

  for (const code of [400, 413, 422]) {
    it(`surfaces ${code} at once: no retry, no failover, breaker untouched`, async () => {
      const h = harness({ primary: [status(code, 'bad request')], backup: [completion()] });
      const error = await h.clock.settle(h.engine.complete(PROMPT)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestFailed);
      expect((error as RequestFailed).status).toBe(code);
      expect(h.calls('primary')).toBe(1);
      expect(h.calls('backup')).toBe(0);
      expect(h.engine.state()[0]!.stats.consecutiveFailures).toBe(1);
      expect(h.engine.state()[0]!.breaker).toBe('closed');
    });
  }

  it('does not count a bad request towards the breaker', async () => {
    const h = harness({ primary: [status(400)], backup: [completion()] }, { breaker: { failureThreshold: 2 } });
    for (let i = 0; i < 3; i++) await h.clock.settle(h.engine.complete(PROMPT)).catch(() => {});
    expect(h.engine.state()[0]!.breaker).toBe('closed');
  });

  // A caller passes an AbortSignal or a Cancellation (the gateway's, cheaper); the SDK is handed a real signal either way.
  it.each([
    ['an AbortController', () => new AbortController()],
    ['a Cancellation', () => new Cancellation()],
  ] as const)('stops at once when the caller aborts (%s): no retry, no failover', async (_what, makeController) => {
    const h = harness({ primary: [hang()], backup: [completion()] });
    const controller = makeController();
    const pending = h.engine.complete(PROMPT, { signal: 'signal' in controller ? controller.signal : controller });
    await h.clock.advance(10);
    controller.abort();
    const error = await h.clock.settle(pending).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestFailed);
    expect((error as RequestFailed).error.kind).toBe('aborted');
    expect(h.calls('backup')).toBe(0);
    expect(h.engine.state()[0]!.breaker).toBe('closed');
  });

  it('lets config override a class by status: 404 retryable', async () => {
    const h = harness({ primary: [status(404)], backup: [completion()] }, { classify: { '404': 'retryable' }, retry: { maxRetries: 1 } });
    await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.calls('primary')).toBe(2);
  });

  it('lets config make a status fatal: 503 stops the request', async () => {
    const h = harness({ primary: [status(503)], backup: [completion()] }, { classify: { '503': 'fatal' } });
    await expect(h.clock.settle(h.engine.complete(PROMPT))).rejects.toBeInstanceOf(RequestFailed);
    expect(h.calls('backup')).toBe(0);
  });

  it('throws AllProvidersFailed carrying every attempt when nothing answers', async () => {
    const h = harness({ primary: [status(503)], backup: [refuse()] }, { retry: { maxRetries: 1 } });
    const error = (await h.clock.settle(h.engine.complete(PROMPT)).catch((e: unknown) => e)) as AllProvidersFailed;
    expect(error).toBeInstanceOf(AllProvidersFailed);
    expect(error.attempts.map((a) => `${a.provider}:${a.status ?? a.error?.kind}`)).toEqual([
      'primary:503',
      'primary:503',
      'backup:connection',
      'backup:connection',
    ]);
    expect(error.message).toBe('every provider failed: primary: 503 ×2; backup: connection ×2');
    expect(h.eventsOf('exhausted')).toHaveLength(1);
  });
});

describe('connection errors without an errno', () => {
  it("says why from the innermost cause (fetch's bad port), and still fails over", async () => {
    const badPort: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error('bad port') });
    };
    const { createEngine } = await import('../../src/engine/engine.js');
    const engine = createEngine(
      { providers: [{ name: 'a', baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'm' }], retry: { maxRetries: 0 } },
      { fetch: badPort },
    );
    const attempt = await engine.check('a', 'models');
    expect(attempt.error).toMatchObject({ kind: 'connection', class: 'retryable', message: 'connection error: bad port' });
  });
});
