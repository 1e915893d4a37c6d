import { describe, expect, it } from 'vitest';
import { harness, hostOf, PROMPT } from '../support/engine-harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryFleet } from '../support/memory-fleet.js';
import { completion, hang, scriptedFetch, status } from '../support/scripted-fetch.js';

const settings = { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, cooldownMs: 5_000 } };

/** Two engines ("instances") over the same scripted providers, sharing one fleet store. */
function fleetOfTwo() {
  const clock = new ManualClock();
  const fleet = new MemoryFleet(() => clock.now());
  const net = scriptedFetch({ [hostOf(0)]: [status(503)], [hostOf(1)]: [completion('backup')] });
  const scripts = { primary: [], backup: [] };
  const a = harness(scripts, settings, { clock, fetch: net, shared: fleet.member() });
  const b = harness(scripts, settings, { clock, fetch: net, shared: fleet.member() });
  return { clock, fleet, net, a, b, primaryCalls: () => net.calls(hostOf(0)) };
}

describe('shared health (fleet mode)', () => {
  it('a breaker that opens on one instance is open on the other, which skips the primary without calling it', async () => {
    const { clock, a, b, primaryCalls } = fleetOfTwo();
    await clock.settle(a.engine.complete(PROMPT));
    await clock.settle(a.engine.complete(PROMPT));
    expect(a.engine.state()[0]!.breaker).toBe('open');
    expect(b.engine.state()[0]!.breaker).toBe('open');
    const before = primaryCalls();
    const result = await clock.settle(b.engine.complete(PROMPT));
    expect(result.provider).toBe('backup');
    expect(primaryCalls()).toBe(before);
    expect(b.eventsOf('breaker').at(-1)).toMatchObject({ to: 'open', remote: true });
  });

  it('runs exactly one half-open trial across the fleet, and both close on its success', async () => {
    const { clock, fleet, net, a, b, primaryCalls } = fleetOfTwo();
    await clock.settle(a.engine.complete(PROMPT));
    await clock.settle(a.engine.complete(PROMPT));
    await clock.advance(5_000);
    net.script(hostOf(0), [hang()]);
    const before = primaryCalls();
    const pending = [a.engine.complete(PROMPT), b.engine.complete(PROMPT), b.engine.complete(PROMPT)];
    await clock.advance(1);
    expect(primaryCalls() - before).toBe(1);
    expect(fleet.trialsGranted).toBe(1);
    net.script(hostOf(0), [completion('primary is back')]);
    await clock.settle(Promise.allSettled(pending));
    // The hung trial timed out and re-opened the breaker everywhere; the next trial succeeds.
    await clock.advance(10_000);
    const back = await clock.settle(b.engine.complete(PROMPT));
    expect(back.provider).toBe('primary');
    expect(a.engine.state()[0]!.breaker).toBe('closed');
    expect(b.eventsOf('recovered')).toHaveLength(1);
    expect(a.eventsOf('recovered')).toHaveLength(0);
  });

  it('a new instance adopts breakers already open in the fleet', async () => {
    const { clock, fleet, net, a } = fleetOfTwo();
    await clock.settle(a.engine.complete(PROMPT));
    await clock.settle(a.engine.complete(PROMPT));
    const late = harness({ primary: [], backup: [] }, settings, { clock, fetch: net, shared: fleet.member() });
    await clock.advance(1);
    expect(late.engine.state()[0]!.breaker).toBe('open');
  });

  it('keeps answering alone when the store is unreachable', async () => {
    const { clock, fleet, a, b } = fleetOfTwo();
    fleet.available = false;
    await clock.settle(a.engine.complete(PROMPT));
    await clock.settle(a.engine.complete(PROMPT));
    expect(a.engine.state()[0]!.breaker).toBe('open');
    expect(b.engine.state()[0]!.breaker).toBe('closed');
    expect((await clock.settle(b.engine.complete(PROMPT))).provider).toBe('backup');
  });
});
