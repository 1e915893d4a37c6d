import { describe, expect, it } from 'vitest';
import { harness, PROMPT } from '../support/engine-harness.js';
import { completion, delayed, sse } from '../support/scripted-fetch.js';

const within5 = (figure: number | undefined, exact: number) => {
  expect(figure).toBeDefined();
  expect(Math.abs(figure! - exact) / exact).toBeLessThanOrEqual(0.05);
};

describe('latency record', () => {
  it('shows each provider’s p50/p90/p95 time to first token and whole call, in engine time', async () => {
    const h = harness({ primary: [delayed(100, completion()), delayed(100, completion()), delayed(100, completion()), delayed(400, completion())] });
    for (let i = 0; i < 4; i++) await h.clock.settle(h.engine.complete(PROMPT));
    const latency = h.engine.state()[0]!.latency!;
    expect(latency.firstToken!.samples).toBe(4);
    within5(latency.firstToken!.p50Ms, 100);
    within5(latency.firstToken!.p95Ms, 400);
    within5(latency.total!.p90Ms, 400);
  });

  it('times a stream’s first token apart from its whole call', async () => {
    const h = harness({ primary: [delayed(300, sse(['a', 'b']))] });
    const chunks = h.engine.stream(PROMPT)[Symbol.asyncIterator]();
    const first = chunks.next();
    await h.clock.advance(300);
    await first;
    // The consumer reads the rest 50 ms apart: the whole call is longer than the first token.
    for (let next = first; !(await next).done; ) {
      await h.clock.advance(50);
      next = chunks.next();
    }
    const latency = h.engine.state()[0]!.latency!;
    within5(latency.firstToken!.p50Ms, 300);
    expect(latency.total!.p50Ms).toBeGreaterThanOrEqual(400);
  });

  it('counts a call cut off by its timeout with the time it had taken', async () => {
    const h = harness({ primary: [delayed(10_000, completion())], backup: [completion()] }, { timeoutMs: 2_000, retry: { maxRetries: 0 } });
    await h.clock.settle(h.engine.complete(PROMPT));
    within5(h.engine.state()[0]!.latency!.firstToken!.p50Ms, 2_000);
    expect(h.engine.state()[0]!.latency!.total).toBeUndefined();
  });
});

describe('degraded (slowMs)', () => {
  const slow = (n: number, ms: number) => Array.from({ length: n }, () => delayed(ms, completion('primary')));

  it('marks a provider whose p90 is over slowMs degraded, with the figure, and healthy again once its samples age out', async () => {
    const h = harness(
      { primary: slow(3, 2_000), backup: [completion('backup')] },
      { slowMs: 1_000, latency: { minSamples: 3, windowMs: 60_000 } },
    );
    for (let i = 0; i < 2; i++) await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.engine.state()[0]!.degraded).toBeUndefined();
    await h.clock.settle(h.engine.complete(PROMPT));
    const state = h.engine.state()[0]!;
    expect(state.breaker).toBe('closed');
    expect(state.degraded!.slowMs).toBe(1_000);
    within5(state.degraded!.p90Ms, 2_000);
    expect(h.eventsOf('degraded')).toEqual([expect.objectContaining({ provider: 'primary', degraded: true, slowMs: 1_000 })]);

    await h.clock.advance(61_000);
    expect(h.engine.state()[0]!.degraded).toBeUndefined();
    expect(h.eventsOf('degraded').at(-1)).toMatchObject({ provider: 'primary', degraded: false, p90Ms: undefined });
  });

  it('with onSlow: skip, passes a degraded provider by, but sends it one request in trialEvery', async () => {
    const h = harness(
      { primary: slow(1, 2_000), backup: [completion('backup')] },
      { slowMs: 1_000, onSlow: 'skip', latency: { minSamples: 1, trialEvery: 4 } },
    );
    await h.clock.settle(h.engine.complete(PROMPT));
    const providers: string[] = [];
    for (let i = 0; i < 8; i++) providers.push((await h.clock.settle(h.engine.complete(PROMPT))).provider);
    expect(providers).toEqual(['backup', 'backup', 'backup', 'primary', 'backup', 'backup', 'backup', 'primary']);
    const skipped = await h.clock.settle(h.engine.complete(PROMPT));
    expect(skipped.attempts[0]).toMatchObject({ provider: 'primary', outcome: 'skipped', reason: 'degraded (slow)' });
  });

  it('with onSlow: skip, never skips a slow provider that nothing healthy follows', async () => {
    const h = harness({ primary: slow(1, 2_000) }, { slowMs: 1_000, onSlow: 'skip', latency: { minSamples: 1 } });
    await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.engine.state()[0]!.degraded).toBeDefined();
    expect((await h.clock.settle(h.engine.complete(PROMPT))).provider).toBe('primary');
  });

  it('comes back from skip once its trials are fast and the slow samples age out', async () => {
    const h = harness(
      { primary: [delayed(2_000, completion('primary')), completion('primary')], backup: [completion('backup')] },
      { slowMs: 1_000, onSlow: 'skip', latency: { minSamples: 1, trialEvery: 2, windowMs: 6_000 } },
    );
    await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.engine.state()[0]!.degraded).toBeDefined();
    await h.clock.advance(6_000);
    expect((await h.clock.settle(h.engine.complete(PROMPT))).provider).toBe('primary');
    expect(h.eventsOf('degraded').map((event) => event.degraded)).toEqual([true, false]);
  });
});
