import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { fleetKeys } from '../../src/shared/keys.js';
import { hostOf, PROMPT } from '../support/engine-harness.js';
import { completion, hang } from '../support/scripted-fetch.js';
import { FLEET_SETTINGS, FleetFixture, freshPrefix, primaryBreaker, type Instance } from './fleet-fixture.js';
import { startTestRedis, type TestRedis } from './redis-server.js';
import { waitFor } from './wait-for.js';

let redis: TestRedis;
let fleet: FleetFixture;
let prefix: string;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.kill();
});
afterEach(async () => {
  await fleet?.closeAll();
});

async function fleetOfTwo() {
  prefix = freshPrefix();
  fleet = new FleetFixture({ url: redis.url, prefix });
  return { a: await fleet.instance({ instanceId: 'a' }), b: await fleet.instance({ instanceId: 'b' }) };
}

async function openPrimaryOn(instance: Instance) {
  await instance.clock.settle(instance.engine.complete(PROMPT));
  await instance.clock.settle(instance.engine.complete(PROMPT));
  expect(primaryBreaker(instance)).toBe('open');
}

async function withRawClient<T>(use: (client: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

describe('shared health through Redis: two engines, one fleet', () => {
  it('a breaker opened on one instance is open on the other, which skips the primary without calling it', async () => {
    const { a, b } = await fleetOfTwo();
    await openPrimaryOn(a);
    await waitFor('b adopts the open breaker', () => primaryBreaker(b) === 'open');
    const before = fleet.primaryCalls();
    const answer = await fleet.clock.settle(b.engine.complete(PROMPT));
    expect(answer.provider).toBe('backup');
    expect(fleet.primaryCalls()).toBe(before);
    expect(b.eventsOf('breaker').at(-1)).toMatchObject({ provider: 'primary', to: 'open', remote: true });
    // An instance ignores its own messages: nothing a decided came back to it as "remote".
    expect(a.eventsOf('breaker').filter((event) => event.remote)).toEqual([]);
  });

  it('runs exactly one half-open trial across both instances, and both close on its success', async () => {
    const { a, b } = await fleetOfTwo();
    await openPrimaryOn(a);
    await waitFor('b adopts the open breaker', () => primaryBreaker(b) === 'open');
    await fleet.clock.advance(5_000);
    fleet.net.script(hostOf(0), [completion('primary is back')]);
    const before = fleet.primaryCalls();
    // Both due for a trial at the same moment: the lock in Redis lets exactly one run it.
    const answers = await Promise.all([a.engine.complete(PROMPT), b.engine.complete(PROMPT)]);
    expect(fleet.primaryCalls() - before).toBe(1);
    expect(answers.map((answer) => answer.provider).sort()).toEqual(['backup', 'primary']);
    await waitFor('both close', () => primaryBreaker(a) === 'closed' && primaryBreaker(b) === 'closed');
    expect(a.eventsOf('recovered').length + b.eventsOf('recovered').length).toBe(1);
    // The verdict freed the lock, so the next outage's trial is not held up by this one.
    expect(await withRawClient((client) => client.get(fleetKeys(prefix).trial('primary')))).toBeNull();
  });

  it('background probes: one probe of a dead provider per interval for the whole fleet', async () => {
    prefix = freshPrefix();
    fleet = new FleetFixture({ url: redis.url, prefix });
    const probing = { ...FLEET_SETTINGS, probe: { intervalMs: 1_000, kind: 'completion' as const } };
    const a = await fleet.instance({ instanceId: 'a' }, probing);
    const b = await fleet.instance({ instanceId: 'b' }, probing);
    await openPrimaryOn(a);
    await waitFor('b adopts the open breaker', () => primaryBreaker(b) === 'open');
    // The trial hangs, so no verdict can reach the other instance before its own probe asks.
    fleet.net.script(hostOf(0), [hang()]);
    const before = fleet.primaryCalls();
    const wentHalfOpen = (instance: Instance) => instance.eventsOf('breaker').some((event) => event.to === 'half-open');
    const deferred = (instance: Instance) => instance.eventsOf('breaker').some((event) => event.from === 'half-open');
    // The cool-down ends: both probes find the primary due at the same tick; one of them runs the trial.
    await fleet.clock.advance(5_000);
    await waitFor('both probes asked for the trial and one deferred to the other', () => wentHalfOpen(a) && wentHalfOpen(b) && (deferred(a) || deferred(b)));
    expect(fleet.primaryCalls() - before).toBe(1);
    expect([deferred(a), deferred(b)].filter(Boolean)).toHaveLength(1);
  });

  it('a new instance adopts the breakers already open in the fleet', async () => {
    const { a } = await fleetOfTwo();
    await openPrimaryOn(a);
    const late = await fleet.instance({ instanceId: 'late' });
    await waitFor('the late instance adopts the open breaker', () => primaryBreaker(late) === 'open');
  });

  it('stores an open breaker with an expiry past its retry time, and deletes it when the breaker closes', async () => {
    const { a, b } = await fleetOfTwo();
    await openPrimaryOn(a);
    const key = fleetKeys(prefix).breaker('primary');
    await waitFor('b adopts the open breaker', () => primaryBreaker(b) === 'open');
    const ttl = await withRawClient((client) => client.pTTL(key));
    // cool-down 5 s + the default stale margin of 600 s: a dead fleet's state expires by itself.
    expect(ttl).toBeGreaterThan(600_000);
    expect(ttl).toBeLessThanOrEqual(605_000);
    b.engine.resetBreaker('primary');
    await waitFor('a adopts the close', () => primaryBreaker(a) === 'closed');
    expect(await withRawClient((client) => client.exists(key))).toBe(0);
  });

  it('keeps a heartbeat per live instance, with an expiry, and removes it on close', async () => {
    const { a, b } = await fleetOfTwo();
    expect((await a.health.listInstances()).map((instance) => instance.id)).toEqual(['a', 'b']);
    const ttl = await withRawClient((client) => client.pTTL(fleetKeys(prefix).instance('a')));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15_000);
    await b.health.close();
    expect((await a.health.listInstances()).map((instance) => instance.id)).toEqual(['a']);
  });

  it('readFleetBreakers tells which provider is open, until when, and who opened it', async () => {
    const { a, b } = await fleetOfTwo();
    await openPrimaryOn(a);
    // a's verdict goes to Redis in the background (SET and PUBLISH in one MULTI): once b has
    // heard it, it is stored.
    await waitFor('b adopts the open breaker', () => primaryBreaker(b) === 'open');
    const breakers = await b.health.readFleetBreakers();
    expect(breakers).toEqual([expect.objectContaining({ provider: 'primary', state: 'open', reopens: 0, openedBy: 'a' })]);
    expect(breakers[0]!.retryAtWallMs).toBeGreaterThan(Date.now());
  });

  it('prefixes keep two fleets in one Redis apart', async () => {
    const { a } = await fleetOfTwo();
    const other = await fleet.instance({ instanceId: 'other', prefix: freshPrefix('other') });
    const sameFleet = await fleet.instance({ instanceId: 'c' });
    await openPrimaryOn(a);
    // Once a member of a's fleet has heard, the message has been delivered: the other fleet had its chance.
    await waitFor('the same fleet adopts', () => primaryBreaker(sameFleet) === 'open');
    expect(primaryBreaker(other)).toBe('closed');
    expect(await other.health.readFleetBreakers()).toEqual([]);
    expect((await other.health.listInstances()).map((instance) => instance.id)).toEqual(['other']);
  });
});
