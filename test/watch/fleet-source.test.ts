import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { createEngine } from '../../src/engine/engine.js';
import type { Engine } from '../../src/engine/types.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { connectRedisHealth } from '../../src/shared/redis-health.js';
import { createFleetSource } from '../../src/watch/fleet-source.js';
import type { HealthUpdate, SyncUpdate } from '../../src/watch/health-source.js';
import type { WatchEvent } from '../../src/watch/watch-events.js';
import { freePort, startTestRedis, type TestRedis } from '../shared/redis-server.js';

// A real redis-server on 127.0.0.1, one engine in fleet mode over two mock providers, and the
// watch polling the fleet's shared keys from outside it.

let redis: TestRedis;
let cleanup: (() => Promise<void>)[] = [];
let fleets = 0;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.kill();
});
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const COOLDOWN_MS = 60_000;
const PROMPT = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** An engine of fleet `prefix`, as instance `instanceId`; the primary answers 503. */
async function fleetMember(prefix: string, instanceId: string): Promise<{ engine: Engine; mocks: MockProvider[] }> {
  const mocks = await Promise.all(['primary', 'backup'].map((name) => startMockProvider({ name, models: [`${name}-model`] })));
  cleanup.push(async () => void (await Promise.all(mocks.map((mock) => mock.close()))));
  await mocks[0]!.setFault({ type: 'status', status: 503 });
  const shared = await connectRedisHealth({ url: redis.url, prefix, instanceId, log: () => {} });
  const engine = createEngine(
    normalizeConfig({
      providers: mocks.map((mock) => ({ name: mock.name, baseURL: mock.baseURL, apiKey: 'sk-fleet-watch-0001', model: mock.models[0]! })),
      retry: { maxRetries: 0 },
      breaker: { failureThreshold: 1, cooldownMs: COOLDOWN_MS },
    }),
    { shared },
  );
  cleanup.push(async () => {
    engine.close();
    await shared.close();
  });
  return { engine, mocks };
}

function watchFleet(prefix: string, providers?: { name: string; model: string }[], url = redis.url) {
  const source = createFleetSource({ url, prefix, intervalMs: 100, ...(providers ? { providers } : {}) });
  cleanup.push(() => source.close());
  const updates: HealthUpdate[] = [];
  source.subscribe((update) => updates.push(update));
  source.start();
  const syncs = () => updates.filter((update): update is SyncUpdate => update.type === 'sync');
  const events = (): WatchEvent[] => updates.flatMap((update) => (update.type === 'event' ? [update.event] : []));
  return { source, syncs, events };
}

const CONFIGURED = [
  { name: 'primary', model: 'primary-model' },
  { name: 'backup', model: 'backup-model' },
];

describe('FleetSource', () => {
  it('shows a breaker opened by a fleet member as open with its countdown, and the member as live', async () => {
    const prefix = `test:watch:${process.pid}:${++fleets}`;
    const { engine } = await fleetMember(prefix, 'instance-a');
    const { source, syncs, events } = watchFleet(prefix, CONFIGURED);
    await vi.waitFor(() => expect(syncs().length).toBeGreaterThan(0));
    expect(syncs()[0]!.rows.map((row) => [row.name, row.breaker, row.traffic])).toEqual([
      ['primary', 'closed', true],
      ['backup', 'closed', false],
    ]);

    const answer = await engine.complete(PROMPT);
    expect(answer.provider).toBe('backup');
    await vi.waitFor(() => expect(source.snapshot().rows[0]?.breaker).toBe('open'));
    const [primary, backup] = source.snapshot().rows;
    expect(primary!.retryInMs).toBeGreaterThan(COOLDOWN_MS - 5_000);
    expect(primary!.trialIn).toMatch(/^(1 m 0 s|59 s|58 s)$/);
    // Redis shares breakers, not latency.
    expect(primary).toMatchObject({ noFigures: true, lastLatency: '—', p50: '—', p95: '—', successRate: '—' });
    expect(backup).toMatchObject({ breaker: 'closed', traffic: true });
    expect(source.snapshot().traffic).toBe('backup');
    expect(source.snapshot().instances?.map((instance) => instance.id)).toEqual(['instance-a']);
    expect(source.snapshot().link?.state).toBe('connected');
    expect(events().find((event) => event.type === 'breaker')).toMatchObject({ provider: 'primary', from: 'closed', to: 'open', cause: 'opened by instance-a' });
    expect(events().find((event) => event.type === 'traffic')).toMatchObject({ from: 'primary', to: 'backup' });

    // The breaker closes fleet-wide (its key is deleted): the row follows.
    engine.resetBreaker('primary');
    await vi.waitFor(() => expect(source.snapshot().rows[0]?.breaker).toBe('closed'));
  });

  it('without a config lists the providers the fleet has open, and no traffic order', async () => {
    const prefix = `test:watch:${process.pid}:${++fleets}`;
    const { engine } = await fleetMember(prefix, 'instance-b');
    await engine.complete(PROMPT);
    const { syncs } = watchFleet(prefix);
    await vi.waitFor(() => expect(syncs().length).toBeGreaterThan(0));
    const [sync] = syncs();
    expect(sync!.rows.map((row) => [row.name, row.model, row.breaker, row.traffic])).toEqual([['primary', '—', 'open', false]]);
    expect(sync!.trafficKnown).toBe(false);
    expect(sync!.instances?.map((instance) => instance.id)).toEqual(['instance-b']);
  });

  it('ignores other fleets in the same Redis', async () => {
    const { engine } = await fleetMember(`test:watch:${process.pid}:${++fleets}`, 'instance-c');
    await engine.complete(PROMPT);
    const { syncs } = watchFleet(`test:watch:${process.pid}:${++fleets}`, CONFIGURED);
    await vi.waitFor(() => expect(syncs().length).toBeGreaterThan(0));
    expect(syncs()[0]!.rows.every((row) => row.breaker === 'closed')).toBe(true);
    expect(syncs()[0]!.instances).toEqual([]);
  });

  it('says disconnected, with the reason, while Redis cannot be reached', async () => {
    const { source } = watchFleet('test:watch:nowhere', CONFIGURED, `redis://127.0.0.1:${await freePort()}/0`);
    await vi.waitFor(() => expect(source.snapshot().link).toMatchObject({ state: 'disconnected', detail: 'connection refused' }));
  });
});
