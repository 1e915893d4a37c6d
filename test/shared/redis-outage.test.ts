import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostOf, PROMPT } from '../support/engine-harness.js';
import { completion } from '../support/scripted-fetch.js';
import { FleetFixture, freshPrefix, primaryBreaker } from './fleet-fixture.js';
import { freePort, startTestRedis, type TestRedis } from './redis-server.js';
import { waitFor } from './wait-for.js';

// Redis is an aid, never a dependency: these tests take it away (killed, paused, never there).
let redis: TestRedis;
let fleet: FleetFixture;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.kill();
});
afterEach(async () => {
  redis?.resume();
  await fleet?.closeAll();
});

const unavailable = (events: { available: boolean }[]) => events.filter((event) => !event.available).length;
const available = (events: { available: boolean }[]) => events.filter((event) => event.available).length;

describe('shared health when Redis goes away', () => {
  it('Redis killed mid-run: both instances keep answering alone, say so once, and share state again when it is back', async () => {
    fleet = new FleetFixture({ url: redis.url, prefix: freshPrefix(), retryMs: 50 });
    const a = await fleet.instance({ instanceId: 'a' });
    const b = await fleet.instance({ instanceId: 'b' });

    await redis.kill();
    await waitFor('both notice Redis is gone', () => unavailable(a.sharedEvents()) === 1 && unavailable(b.sharedEvents()) === 1);
    // Alone: a learns the outage itself, b does not hear of it, and both keep answering.
    for (let i = 0; i < 2; i++) expect((await fleet.clock.settle(a.engine.complete(PROMPT))).provider).toBe('backup');
    expect(primaryBreaker(a)).toBe('open');
    expect((await fleet.clock.settle(b.engine.complete(PROMPT))).provider).toBe('backup');
    expect(primaryBreaker(b)).toBe('closed');
    expect(a.health.available).toBe(false);

    await redis.restart();
    await waitFor('both rejoin', () => available(a.sharedEvents()) === 1 && available(b.sharedEvents()) === 1);
    // The restarted Redis is empty: a's verdict from while it was alone reaches the fleet.
    await waitFor('b adopts the breaker a opened while alone', () => primaryBreaker(b) === 'open');
    b.engine.resetBreaker('primary');
    await waitFor('a adopts b closing it', () => primaryBreaker(a) === 'closed');

    // Said once each way, however many reconnect attempts failed in between.
    expect(a.sharedEvents().map((event) => event.available)).toEqual([false, true]);
    expect(b.sharedEvents().map((event) => event.available)).toEqual([false, true]);
    expect(a.logs).toHaveLength(2);
    expect(a.logs[0]).toMatch(/unavailable/);
    expect(a.logs[1]).toMatch(/back/);
  });

  it('a paused (hanging) Redis never holds a request: the trial lock is granted locally after the bound', async () => {
    fleet = new FleetFixture({ url: redis.url, prefix: freshPrefix(), retryMs: 50 });
    const a = await fleet.instance({ instanceId: 'a' });
    for (let i = 0; i < 2; i++) await fleet.clock.settle(a.engine.complete(PROMPT));
    expect(primaryBreaker(a)).toBe('open');
    await fleet.clock.advance(5_000);
    fleet.net.script(hostOf(0), [completion('primary is back')]);

    redis.pause();
    // The half-open trial asks Redis for the lock; Redis never answers; the bound lets the trial run.
    const answer = await a.engine.complete(PROMPT);
    expect(answer.provider).toBe('primary');
    // Whichever command meets the paused Redis first names the outage: the trial lock, or (on a
    // loaded machine) the breaker's own publish still on its way. Either way it is said once.
    expect(a.sharedEvents()).toEqual([expect.objectContaining({ available: false, detail: expect.stringMatching(/acquireTrial|publish/) })]);

    redis.resume();
    await waitFor('a rejoins once Redis answers again', () => available(a.sharedEvents()) === 1);
  });

  it('an unreachable Redis at start-up: the engine answers, and says once that it is alone', async () => {
    const url = `redis://:s3cret-password@127.0.0.1:${await freePort()}/0`;
    fleet = new FleetFixture({ url, prefix: freshPrefix(), retryMs: 50 });
    fleet.net.script(hostOf(0), [completion('primary')]);
    const a = await fleet.instance({ instanceId: 'a' });
    expect((await a.engine.complete(PROMPT)).provider).toBe('primary');
    await waitFor('the shared event reaches the engine', () => a.sharedEvents().length > 0);
    expect(a.sharedEvents()).toEqual([{ available: false, detail: expect.stringMatching(/127\.0\.0\.1:\d+.*unavailable/) }]);
    expect(await a.health.acquireTrial('primary', 1_000)).toBe(true);
    expect(await a.health.snapshot()).toEqual([]);
    expect(await a.health.listInstances()).toEqual([]);
    // The URL's password never reaches an event or a log line.
    expect(JSON.stringify([a.sharedEvents(), a.logs])).not.toContain('s3cret');
  });

  it('joins a Redis that appears after start-up', async () => {
    const late = await startTestRedis();
    await late.kill();
    try {
      fleet = new FleetFixture({ url: late.url, prefix: freshPrefix(), retryMs: 50 });
      const a = await fleet.instance({ instanceId: 'a' });
      const b = await fleet.instance({ instanceId: 'b' });
      await waitFor('both start alone', () => a.sharedEvents().length === 1 && b.sharedEvents().length === 1);
      await late.restart();
      await waitFor('both join', () => available(a.sharedEvents()) === 1 && available(b.sharedEvents()) === 1);
      for (let i = 0; i < 2; i++) await fleet.clock.settle(a.engine.complete(PROMPT));
      await waitFor('b adopts the open breaker', () => primaryBreaker(b) === 'open');
    } finally {
      await fleet.closeAll();
      await late.kill();
    }
  });
});
