import { afterEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import type { BreakerState } from '../../src/engine/types.js';
import { startMockProvider, type MockProvider } from '../../src/mock/index.js';
import type { HealthUpdate } from '../../src/watch/health-source.js';
import { createProbeSource } from '../../src/watch/probe-source.js';
import { ManualClock } from '../support/manual-clock.js';

const INTERVAL = 1_000;
const COOLDOWN = 10_000;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function watchTwoMocks() {
  const mocks: MockProvider[] = await Promise.all(['primary', 'backup'].map((name) => startMockProvider({ name, models: [`${name}-model`] })));
  cleanup.push(async () => void (await Promise.all(mocks.map((mock) => mock.close()))));
  const clock = new ManualClock();
  const config = normalizeConfig({
    providers: mocks.map((mock) => ({ name: mock.name, baseURL: mock.baseURL, apiKey: 'sk-watch-test-0000', model: mock.models[0]! })),
    breaker: { failureThreshold: 2, cooldownMs: COOLDOWN },
  });
  const source = createProbeSource({ config, intervalMs: INTERVAL, kind: 'models', clock });
  cleanup.push(() => source.close());
  const updates: HealthUpdate[] = [];
  // What the primary's row showed after every update, in order, without repeats.
  const primaryStates: BreakerState[] = [];
  source.subscribe((update) => {
    updates.push(update);
    const breaker = source.snapshot().rows[0]!.breaker;
    if (primaryStates.at(-1) !== breaker) primaryStates.push(breaker);
  });
  /** Lets the interval pass and the round it starts finish (its calls are real loopback I/O). */
  const nextRound = async (ms = INTERVAL) => {
    await clock.advance(ms);
    await source.idle();
  };
  return { mocks, clock, source, updates, primaryStates, nextRound, primary: mocks[0]!, backup: mocks[1]! };
}

const rounds = (updates: HealthUpdate[]) => updates.filter((update) => update.type === 'round');

describe('probe source', () => {
  it('probes every provider once per round, GET /models by default', async () => {
    const { source, primary, backup, updates, nextRound } = await watchTwoMocks();
    source.start();
    await source.idle();
    expect(rounds(updates)).toHaveLength(1);
    expect(primary.counters.models).toBe(1);
    expect(backup.counters.models).toBe(1);
    expect(primary.counters.completions).toBe(0);
    await nextRound();
    expect(rounds(updates)).toHaveLength(2);
    expect(source.snapshot().rows.map((row) => row.samples)).toEqual([2, 2]);
  });

  it('shows the primary go closed → open → half-open → closed as the mock goes down and up', async () => {
    const { source, primary, updates, primaryStates, nextRound, clock } = await watchTwoMocks();
    await primary.setFault({ type: 'status', status: 503 });
    source.start();
    await source.idle();
    expect(source.snapshot().rows[0]).toMatchObject({ breaker: 'closed', consecutiveFailures: 1, traffic: true, lastError: '503 server error' });

    await nextRound();
    const open = source.snapshot();
    expect(open.rows[0]).toMatchObject({ breaker: 'open', trialIn: '10 s', traffic: false });
    expect(open.traffic).toBe('backup');

    // While the cool-down runs, the primary is not probed (the engine skips it) and the countdown runs down.
    const callsWhileOpen = primary.counters.models;
    await nextRound(4_000);
    expect(primary.counters.models).toBe(callsWhileOpen);
    expect(source.snapshot().rows[0]?.trialIn).toBe('6 s');

    await primary.clearFault();
    await nextRound(6_000);
    const healed = source.snapshot();
    expect(healed.rows[0]).toMatchObject({ breaker: 'closed', traffic: true });
    expect(primaryStates).toEqual(['closed', 'open', 'half-open', 'closed']);

    const events = updates.flatMap((update) => (update.type === 'event' ? [update.event] : []));
    expect(events.map((event) => event.type)).toEqual(['breaker', 'traffic', 'breaker', 'breaker', 'recovered', 'traffic']);
    expect(events[0]).toMatchObject({ type: 'breaker', provider: 'primary', from: 'closed', to: 'open', cause: '503 server error' });
    expect(events[1]).toMatchObject({ type: 'traffic', from: 'primary', to: 'backup' });
    expect(events[5]).toMatchObject({ type: 'traffic', from: 'backup', to: 'primary' });
    expect(clock.now()).toBeGreaterThanOrEqual(COOLDOWN);
  });

  it('forces a provider to fail and restores it, with real breakers doing the rest', async () => {
    const { source, primary, updates, nextRound } = await watchTwoMocks();
    source.start();
    await source.idle();
    const modelsBefore = primary.counters.models;
    expect(source.controls?.toggleForced('primary')).toBe(true);
    await nextRound();
    await nextRound();
    expect(source.snapshot().rows[0]).toMatchObject({ breaker: 'open', forced: true });
    expect(source.snapshot().traffic).toBe('backup');
    // A forced failure never reaches the provider.
    expect(primary.counters.models).toBe(modelsBefore);

    expect(source.controls?.toggleForced('primary')).toBe(false);
    // "Probe now" runs the trial at once, even though the cool-down has not passed.
    source.controls?.probeAll();
    await source.idle();
    expect(source.snapshot().rows[0]).toMatchObject({ breaker: 'closed', forced: false, traffic: true });
    const forcedEvents = updates.flatMap((update) => (update.type === 'event' && update.event.type === 'forced' ? [update.event.forced] : []));
    expect(forcedEvents).toEqual([true, false]);
  });

  it('resets a breaker by hand', async () => {
    const { source, primary, nextRound } = await watchTwoMocks();
    await primary.setFault({ type: 'status', status: 503 });
    source.start();
    await source.idle();
    await nextRound();
    expect(source.snapshot().rows[0]?.breaker).toBe('open');
    source.controls?.resetBreaker('primary');
    expect(source.snapshot().rows[0]).toMatchObject({ breaker: 'closed', consecutiveFailures: 0, traffic: true });
    expect(source.snapshot().events.at(-1)).toMatchObject({ type: 'traffic', to: 'primary' });
  });

  it('stops probing once closed, leaving no timer behind', async () => {
    const { source, primary, clock, updates } = await watchTwoMocks();
    source.start();
    await source.idle();
    await source.close();
    const calls = primary.counters.models;
    const seen = updates.length;
    await clock.advance(10 * INTERVAL);
    expect(primary.counters.models).toBe(calls);
    expect(updates).toHaveLength(seen);
    expect(clock.pendingTimers).toBe(0);
  });
});
