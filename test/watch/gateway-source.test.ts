import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { startGateway, type Gateway } from '../../src/serve/server.js';
import { createGatewaySource } from '../../src/watch/gateway-source.js';
import type { HealthSource, HealthUpdate, SyncUpdate } from '../../src/watch/health-source.js';
import type { WatchEvent } from '../../src/watch/watch-events.js';

// A real gateway over two mock providers on 127.0.0.1, the official SDK as its client, and the
// watch attached to its GET /events stream.

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const COOLDOWN_MS = 60_000;
const PROMPT = { model: 'any', messages: [{ role: 'user' as const, content: 'hi' }] };

async function startMocks() {
  const mocks = await Promise.all(['primary', 'backup'].map((name) => startMockProvider({ name, key: `sk-${name}-watch-0001`, models: [`${name}-model`] })));
  cleanup.push(async () => void (await Promise.all(mocks.map((mock) => mock.close()))));
  return mocks as [MockProvider, MockProvider];
}

async function gatewayOver(mocks: readonly MockProvider[], port = 0): Promise<Gateway> {
  const gateway = await startGateway(
    {
      providers: mocks.map((mock) => ({ name: mock.name, baseURL: mock.baseURL, apiKey: `sk-${mock.name}-watch-0001`, model: mock.models[0]! })),
      retry: { maxRetries: 0 },
      breaker: { failureThreshold: 1, cooldownMs: COOLDOWN_MS },
    },
    { port },
  );
  cleanup.push(() => gateway.close({ graceMs: 1_000 }));
  return gateway;
}

function attach(gateway: Gateway, options: { backoffMs?: number } = {}) {
  const source = createGatewaySource({ url: gateway.url, ...options });
  cleanup.push(() => source.close());
  const updates: HealthUpdate[] = [];
  source.subscribe((update) => updates.push(update));
  source.start();
  return { source, updates, syncs: () => updates.filter((update): update is SyncUpdate => update.type === 'sync'), events: () => eventsOf(updates) };
}

const eventsOf = (updates: readonly HealthUpdate[]): WatchEvent[] => updates.flatMap((update) => (update.type === 'event' ? [update.event] : []));
const row = (source: HealthSource, name: string) => source.snapshot().rows.find((candidate) => candidate.name === name);

describe('GatewaySource', () => {
  it('starts from the gateway snapshot, then shows the primary go closed → open as real traffic fails over', async () => {
    const mocks = await startMocks();
    const gateway = await gatewayOver(mocks);
    const { source, syncs, events } = attach(gateway);
    await vi.waitFor(() => expect(syncs()).toHaveLength(1));
    expect(syncs()[0]!.rows.map((r) => [r.name, r.model, r.breaker, r.traffic])).toEqual([
      ['primary', 'primary-model', 'closed', true],
      ['backup', 'backup-model', 'closed', false],
    ]);
    expect(source.snapshot().link?.state).toBe('connected');
    expect(source.attached).toBe(gateway.url);
    expect(source.controls).toBeUndefined();

    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await client.chat.completions.create(PROMPT);
    await mocks[0].setFault({ type: 'status', status: 503 });
    const answer = await client.chat.completions.create(PROMPT);
    expect(answer.choices[0]?.message.content).toBeTruthy();

    await vi.waitFor(() => expect(row(source, 'primary')?.breaker).toBe('open'));
    const primary = row(source, 'primary')!;
    // Wall-clock countdown from the gateway's retryAtWall: about a minute, not 0 and not garbage.
    expect(primary.retryInMs).toBeGreaterThan(COOLDOWN_MS - 5_000);
    expect(primary.retryInMs).toBeLessThanOrEqual(COOLDOWN_MS);
    expect(primary.trialIn).toMatch(/^(1 m 0 s|59 s|58 s)$/);
    expect(primary.successRate).toBe('50%');
    expect(primary.lastError).toBe('503 server error');
    await vi.waitFor(() => expect(row(source, 'backup')?.samples).toBe(1));
    expect(row(source, 'backup')).toMatchObject({ traffic: true, successRate: '100%' });
    expect(row(source, 'backup')!.p50).toMatch(/\d+ ms/);
    expect(source.snapshot().traffic).toBe('backup');
    expect(events().map((event) => event.type)).toEqual(['link', 'breaker', 'traffic', 'failover']);
    expect(events()[1]).toMatchObject({ provider: 'primary', from: 'closed', to: 'open', cause: '503 server error' });
    expect(events()[2]).toMatchObject({ from: 'primary', to: 'backup' });
  });

  it('shows a breaker opened before it connected, from the snapshot alone', async () => {
    const mocks = await startMocks();
    const gateway = await gatewayOver(mocks);
    await mocks[0].setFault({ type: 'status', status: 503 });
    await new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 }).chat.completions.create(PROMPT);
    const { syncs } = attach(gateway);
    await vi.waitFor(() => expect(syncs()).toHaveLength(1));
    const [primary, backup] = syncs()[0]!.rows;
    expect(primary).toMatchObject({ breaker: 'open', traffic: false, lastError: '503 server error' });
    expect(primary!.retryInMs).toBeGreaterThan(COOLDOWN_MS - 5_000);
    expect(backup).toMatchObject({ breaker: 'closed', traffic: true });
    expect(syncs()[0]!.traffic).toBe('backup');
  });

  it('says disconnected when the stream drops, retries with backoff, and resyncs when the gateway is back', async () => {
    const mocks = await startMocks();
    const first = await gatewayOver(mocks);
    const { source, syncs, events } = attach(first, { backoffMs: 20 });
    await vi.waitFor(() => expect(syncs()).toHaveLength(1));

    await first.close({ graceMs: 100 });
    await vi.waitFor(() => expect(source.snapshot().link?.state).toBe('disconnected'));
    // The gateway is gone: the retries are refused, and the link says so.
    await vi.waitFor(() => expect(source.snapshot().link?.detail).toBe('connection refused'));
    expect(source.snapshot().rows.map((r) => r.name)).toEqual(['primary', 'backup']);

    // Back on the same port, with the primary already down this time.
    await mocks[0].setFault({ type: 'status', status: 503 });
    const second = await gatewayOver(mocks, first.port);
    await new OpenAI({ baseURL: `${second.url}/v1`, apiKey: 'x', maxRetries: 0 }).chat.completions.create(PROMPT);
    await vi.waitFor(() => expect(syncs()).toHaveLength(2), { timeout: 5_000 });
    expect(source.snapshot().link?.state).toBe('connected');
    expect(row(source, 'primary')?.breaker).toBe('open');
    const links = events().filter((event) => event.type === 'link');
    // One line per outage, however many retries it took.
    expect(links.map((event) => event.type === 'link' && event.state)).toEqual(['connected', 'disconnected', 'connected']);
    expect(links[1]).toMatchObject({ detail: 'the gateway ended the stream' });
  });

  it('reports a gateway that is not there as disconnected, with the reason', async () => {
    const mocks = await startMocks();
    const gateway = await gatewayOver(mocks);
    const url = gateway.url;
    await gateway.close({ graceMs: 100 });
    const source = createGatewaySource({ url, backoffMs: 1_000 });
    cleanup.push(() => source.close());
    source.start();
    await vi.waitFor(() => expect(source.snapshot().link).toMatchObject({ state: 'disconnected', detail: 'connection refused' }));
    expect(source.snapshot().rows).toEqual([]);
  });
});
