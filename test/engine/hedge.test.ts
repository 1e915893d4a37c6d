import { describe, expect, it } from 'vitest';
import { RequestFailed } from '../../src/engine/errors.js';
import type { EngineStream } from '../../src/engine/types.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { completion, delayed, sse, status } from '../support/scripted-fetch.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryFleet } from '../support/memory-fleet.js';

const HEDGE = { hedge: { afterMs: 500, maxExtraPercent: 100 } };

async function drain(stream: EngineStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

describe('hedging', () => {
  it('sends the request to the next provider when the first has no answer by the hedge point; the first answer wins', async () => {
    const h = harness({ primary: [delayed(5_000, completion('primary'))], backup: [delayed(100, completion('backup'))] }, HEDGE);
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.choices[0]!.message.content).toBe('backup');
    expect(result).toMatchObject({ provider: 'backup', hedged: true, wonBy: 'hedge' });
    expect(h.clock.now()).toBe(600);
    expect(result.attempts).toEqual([
      expect.objectContaining({ provider: 'primary', outcome: 'cancelled', reason: 'lost the hedge race', ms: 600 }),
      expect.objectContaining({ provider: 'backup', outcome: 'success', hedge: true, ms: 100 }),
    ]);
    expect(h.eventsOf('hedge')).toEqual([expect.objectContaining({ from: 'primary', to: 'backup', afterMs: 500, requestId: h.eventsOf('attempt')[0]!.requestId })]);
    expect(h.eventsOf('attempt').map((event) => [event.provider, event.hedge ?? false])).toEqual([
      ['primary', false],
      ['backup', true],
    ]);
    // Losing a race says nothing against the primary's breaker, but its latency floor is kept.
    const primary = h.engine.state()[0]!;
    expect(primary.breaker).toBe('closed');
    expect(primary.stats.failures).toBe(0);
    expect(primary.latency!.firstToken!.samples).toBe(1);
  });

  it('aborts the loser at once: the hedged-in provider that was slower is cut off when the first answers', async () => {
    const h = harness({ primary: [delayed(700, completion('primary'))], backup: [delayed(5_000, completion('backup'))] }, HEDGE);
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result).toMatchObject({ provider: 'primary', hedged: true, wonBy: 'original' });
    expect(result.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ['backup', 'cancelled'],
      ['primary', 'success'],
    ]);
    expect(h.clock.now()).toBe(700);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('does not hedge an answer that comes before the hedge point', async () => {
    const h = harness({ primary: [delayed(400, completion('primary'))], backup: [completion('backup')] }, HEDGE);
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('primary');
    expect(result.hedged).toBeUndefined();
    expect(h.calls('backup')).toBe(0);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('never hedges a request marked hedge: false', async () => {
    const h = harness({ primary: [delayed(5_000, completion('primary'))], backup: [completion('backup')] }, HEDGE);
    const result = await h.clock.settle(h.engine.complete(PROMPT, { hedge: false }));
    expect(result.provider).toBe('primary');
    expect(h.calls('backup')).toBe(0);
    expect(h.eventsOf('hedge')).toHaveLength(0);
  });

  it('caps hedges at maxExtraPercent of requests with a token bucket', async () => {
    const h = harness(
      { primary: [delayed(5_000, completion('primary'))], backup: [completion('backup')] },
      { hedge: { afterMs: 500, maxExtraPercent: 10 } },
    );
    for (let i = 0; i < 20; i++) await h.clock.settle(h.engine.complete(PROMPT));
    // The bucket starts empty and earns a tenth of a hedge per request: hedges at requests 10 and 20.
    expect(h.eventsOf('hedge')).toHaveLength(2);
    expect(h.calls('backup')).toBe(2);
  });

  it('hedges a stream at its first token and relays the winner only', async () => {
    const h = harness({ primary: [delayed(5_000, sse(['slow']))], backup: [delayed(50, sse(['fast ', 'answer']))] }, HEDGE);
    const stream = h.engine.stream(PROMPT);
    expect(await h.clock.settle(drain(stream))).toBe('fast answer');
    expect(stream.provider).toBe('backup');
    expect(stream.hedged).toBe(true);
    expect(stream.wonBy).toBe('hedge');
    expect(h.clock.now()).toBe(550);
  });

  it('keeps waiting for the hedge when the first call fails after the hedge point', async () => {
    const h = harness(
      { primary: [delayed(800, status(503))], backup: [delayed(1_000, completion('backup'))] },
      { ...HEDGE, retry: { maxRetries: 2 } },
    );
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result).toMatchObject({ provider: 'backup', hedged: true, wonBy: 'hedge' });
    expect(h.calls('primary')).toBe(1);
    expect(h.engine.state()[0]!.stats.failures).toBe(1);
    expect(h.clock.now()).toBe(1_500);
  });

  it('fails at once, aborting the other call, when the hedge finds the request itself is bad', async () => {
    const h = harness({ primary: [delayed(5_000, completion('primary'))], backup: [delayed(100, status(400, 'bad request'))] }, HEDGE);
    const failed = await h.clock.settle(h.engine.complete(PROMPT)).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(RequestFailed);
    expect((failed as RequestFailed).provider).toBe('backup');
    expect(h.clock.now()).toBe(600);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('hedges at the provider’s own afterPercentile once it has enough samples, never before afterMs', async () => {
    const h = harness(
      { primary: [delayed(1_000, completion('primary'))], backup: [completion('backup')] },
      { hedge: { afterPercentile: 95, afterMs: 200, maxExtraPercent: 100 }, latency: { minSamples: 3 } },
    );
    await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.eventsOf('hedge')[0]!.afterMs).toBe(200);
    h.script('primary', [delayed(300, completion('primary'))]);
    for (let i = 0; i < 5; i++) await h.clock.settle(h.engine.complete(PROMPT, { hedge: false }));
    h.script('primary', [delayed(5_000, completion('primary'))]);
    await h.clock.settle(h.engine.complete(PROMPT));
    const point = h.eventsOf('hedge').at(-1)!.afterMs;
    // p95 of six samples (one cut at 200 ms, five of 300 ms): about 300 ms.
    expect(Math.abs(point - 300)).toBeLessThanOrEqual(15);
  });

  it('hedges a degraded provider early (at its slowMs) with onSlow: hedge, without a hedge block', async () => {
    const h = harness(
      { primary: [delayed(3_000, completion('primary'))], backup: [completion('backup')] },
      { slowMs: 1_000, latency: { minSamples: 1 } },
    );
    expect((await h.clock.settle(h.engine.complete(PROMPT))).provider).toBe('primary');
    expect(h.eventsOf('hedge')).toHaveLength(0);
    expect(h.engine.state()[0]!.degraded).toBeDefined();
    // The default 5% budget starts empty: the 20th request has earned the first hedge.
    for (let i = 0; i < 18; i++) await h.clock.settle(h.engine.complete(PROMPT, { hedge: false }));
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result).toMatchObject({ provider: 'backup', hedged: true });
    expect(h.eventsOf('hedge')[0]!.afterMs).toBe(1_000);
  });

  it('does not hedge into a provider whose breaker is open', async () => {
    const h = harness(
      { primary: [delayed(2_000, completion('primary'))], backup: [status(503)] },
      { ...HEDGE, retry: { maxRetries: 0 }, breaker: { failureThreshold: 1 } },
    );
    h.engine.resetBreaker('backup');
    await h.clock.settle(h.engine.complete(PROMPT));
    expect(h.engine.state()[1]!.breaker).toBe('open');
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('primary');
    expect(result.hedged).toBeUndefined();
    expect(h.calls('backup')).toBe(1);
  });
});

describe('the hedge budget in fleet mode', () => {
  const config = { hedge: { afterMs: 500, maxExtraPercent: 5 } };

  it('is the fleet’s: requests answered anywhere earn hedges everywhere, and hedges anywhere spend them', async () => {
    const clock = new ManualClock();
    const fleet = new MemoryFleet(() => clock.now());
    const busy = harness({ primary: [completion()], backup: [completion()] }, config, { clock, shared: fleet.member() });
    for (let i = 0; i < 40; i++) await clock.settle(busy.engine.complete(PROMPT));
    // Counts reach the fleet with the instance's traffic, at most once a second.
    await clock.advance(1_000);
    await clock.settle(busy.engine.complete(PROMPT));
    expect(fleet.hedgeTotals).toEqual({ requests: 41, hedges: 0 });

    const slow = { primary: [delayed(5_000, completion('primary'))], backup: [completion('backup')] };
    const joined = harness(slow, config, { clock, shared: fleet.member() });
    const alone = harness(slow, config, { clock });
    for (let i = 0; i < 3; i++) {
      await clock.settle(joined.engine.complete(PROMPT));
      await clock.settle(alone.engine.complete(PROMPT));
    }
    // 5% of the fleet's 44 requests: two hedges, both spent by the slow instance; alone, it has earned none.
    expect(joined.eventsOf('hedge')).toHaveLength(2);
    expect(alone.eventsOf('hedge')).toHaveLength(0);
  });

  it('budgets alone while the store cannot be asked', async () => {
    const clock = new ManualClock();
    const fleet = new MemoryFleet(() => clock.now());
    fleet.available = false;
    const h = harness({ primary: [delayed(5_000, completion('primary'))], backup: [completion('backup')] }, config, { clock, shared: fleet.member() });
    for (let i = 0; i < 20; i++) await clock.settle(h.engine.complete(PROMPT));
    expect(h.eventsOf('hedge')).toHaveLength(1);
  });
});
