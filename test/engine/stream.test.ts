import { describe, expect, it } from 'vitest';
import { AllProvidersFailed, RequestFailed } from '../../src/engine/errors.js';
import type { EngineStream } from '../../src/engine/types.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { hang, refuse, sse, status } from '../support/scripted-fetch.js';

/** Reads a stream to the end; `text` is what a consumer that honours restarts keeps. */
async function drain(stream: EngineStream, onRestart?: () => void) {
  let text = '';
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  onRestart?.();
  return { text, chunks };
}

describe('streams', () => {
  it('passes the provider chunks through unchanged', async () => {
    const h = harness({ primary: [sse(['Hel', 'lo'])], backup: [sse(['no'])] });
    const stream = h.engine.stream(PROMPT);
    const { text, chunks } = await h.clock.settle(drain(stream));
    expect(text).toBe('Hello');
    expect(chunks).toBe(4);
    expect(stream.provider).toBe('primary');
  });

  it('fails over before the first token like any other failure', async () => {
    const h = harness({ primary: [status(503)], backup: [sse(['from ', 'backup'])] }, { retry: { maxRetries: 1 } });
    const stream = h.engine.stream(PROMPT);
    const { text } = await h.clock.settle(drain(stream));
    expect(text).toBe('from backup');
    expect(stream.provider).toBe('backup');
    expect(h.calls('primary')).toBe(2);
    expect(h.eventsOf('restart')).toHaveLength(0);
  });

  it('gives up on a stream whose first token never comes, and fails over', async () => {
    const h = harness(
      { primary: [sse(['never'], { stallAfter: 0 })], backup: [sse(['backup'])] },
      { firstTokenTimeoutMs: 2_000, retry: { maxRetries: 0 } },
    );
    const stream = h.engine.stream(PROMPT);
    const { text } = await h.clock.settle(drain(stream));
    expect(text).toBe('backup');
    expect(stream.attempts[0]!.error).toMatchObject({ kind: 'timeout', timeout: 'first-token' });
    expect(h.clock.now()).toBe(2_000);
  });

  it('restarts on the next provider after a mid-stream drop, telling the consumer first', async () => {
    const h = harness({ primary: [sse(['one ', 'two ', 'three'], { dropAfter: 2 })], backup: [sse(['whole ', 'answer'])] });
    const seen: string[] = [];
    const stream = h.engine.stream(PROMPT, {
      onRestart: (event) => seen.push(`restart ${event.from}->${event.to} after "${seen.join('')}"`),
    });
    await h.clock.settle(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta?.content ?? '');
      })(),
    );
    const restartIndex = seen.findIndex((s) => s.startsWith('restart'));
    expect(seen[restartIndex]).toBe('restart primary->backup after "one two "');
    expect(seen.slice(restartIndex + 1).join('')).toBe('whole answer');
    expect(stream.provider).toBe('backup');
    expect(h.eventsOf('restart')).toHaveLength(1);
  });

  it('with midStream: fail, surfaces a mid-stream drop instead of restarting', async () => {
    const h = harness({ primary: [sse(['one ', 'two'], { dropAfter: 1 })], backup: [sse(['x'])] }, { midStream: 'fail' });
    await expect(h.clock.settle(drain(h.engine.stream(PROMPT)))).rejects.toBeInstanceOf(RequestFailed);
    expect(h.calls('backup')).toBe(0);
  });

  it('ends a stream that stalls between chunks with the idle timeout, then restarts', async () => {
    const h = harness(
      { primary: [sse(['a', 'b', 'c'], { stallAfter: 1 })], backup: [sse(['fresh'])] },
      { idleTimeoutMs: 3_000 },
    );
    const stream = h.engine.stream(PROMPT);
    await h.clock.settle(drain(stream));
    expect(stream.attempts.find((a) => a.outcome === 'failure')!.error).toMatchObject({ kind: 'timeout', timeout: 'idle' });
    expect(stream.provider).toBe('backup');
  });

  it('throws AllProvidersFailed when no provider can stream', async () => {
    const h = harness({ primary: [refuse()], backup: [status(500)] }, { retry: { maxRetries: 0 } });
    await expect(h.clock.settle(drain(h.engine.stream(PROMPT)))).rejects.toBeInstanceOf(AllProvidersFailed);
  });

  it('stops on abort without failing over', async () => {
    const h = harness({ primary: [hang()], backup: [sse(['x'])] });
    const controller = new AbortController();
    const pending = drain(h.engine.stream(PROMPT, { signal: controller.signal }));
    await h.clock.advance(5);
    controller.abort();
    await expect(h.clock.settle(pending)).rejects.toBeInstanceOf(RequestFailed);
    expect(h.calls('backup')).toBe(0);
  });
});

describe('check and probe', () => {
  it('a check feeds the breaker: a failing provider opens, a forced successful check closes it', async () => {
    const h = harness({ primary: [status(503)], backup: [sse(['x'])] }, { breaker: { failureThreshold: 2, cooldownMs: 60_000 } });
    await h.clock.settle(h.engine.check('primary', 'models'));
    await h.clock.settle(h.engine.check('primary', 'models'));
    expect(h.engine.state()[0]!.breaker).toBe('open');
    expect((await h.engine.check('primary', 'models')).outcome).toBe('skipped');
    h.script('primary', [{ kind: 'json', status: 200, body: { object: 'list', data: [{ id: 'primary-model', object: 'model' }] } }]);
    const forced = await h.clock.settle(h.engine.check('primary', 'models', { force: true }));
    expect(forced.outcome).toBe('success');
    expect(h.engine.state()[0]!.breaker).toBe('closed');
  });

  it('the background probe brings an open primary back without a user request', async () => {
    const h = harness(
      { primary: [status(503)], backup: [sse(['x'])] },
      { probe: { intervalMs: 1_000 }, retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 5_000 } },
    );
    await h.clock.settle(h.engine.check('primary', 'completion'));
    expect(h.engine.state()[0]!.breaker).toBe('open');
    h.script('primary', [
      { kind: 'json', status: 200, body: { id: 'p', object: 'chat.completion', created: 1, model: 'm', choices: [] } },
    ]);
    await h.clock.advance(4_000);
    expect(h.engine.state()[0]!.breaker).toBe('open');
    await h.clock.advance(1_000);
    expect(h.engine.state()[0]!.breaker).toBe('closed');
    h.engine.close();
  });
});
