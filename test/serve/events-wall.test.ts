import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { createEngine } from '../../src/engine/engine.js';
import { startMockProvider } from '../../src/mock/server.js';
import { startGateway } from '../../src/serve/server.js';
import { ManualClock } from '../support/manual-clock.js';

// GET /events carries wall-clock times: an engine on a manual clock (time 0 at start) makes an
// unconverted engine time obvious, since it is nowhere near Date.now().

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const COOLDOWN_MS = 30_000;

async function gatewayOnManualClock() {
  const primary = await startMockProvider({ name: 'primary', key: 'sk-primary-wall-0001', models: ['p-model'] });
  const backup = await startMockProvider({ name: 'backup', key: 'sk-backup-wall-0002', models: ['b-model'] });
  const clock = new ManualClock();
  const engine = createEngine(
    normalizeConfig({
      providers: [
        { name: 'primary', baseURL: primary.baseURL, apiKey: 'sk-primary-wall-0001', model: 'p-model' },
        { name: 'backup', baseURL: backup.baseURL, apiKey: 'sk-backup-wall-0002', model: 'b-model' },
      ],
      retry: { maxRetries: 0 },
      breaker: { failureThreshold: 1, cooldownMs: COOLDOWN_MS },
    }),
    { clock },
  );
  const gateway = await startGateway({ providers: [{ name: 'unused', baseURL: primary.baseURL, apiKey: 'x', model: 'p-model' }] }, { engine, clock, port: 0 });
  cleanups.push(() => gateway.close({ graceMs: 1_000 }), () => primary.close(), () => backup.close());
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
  return { primary, gateway, client };
}

/** Reads `GET /events` until `done` holds for the events so far; the stream is closed after the test. */
async function openEvents(url: string) {
  const controller = new AbortController();
  cleanups.push(async () => controller.abort());
  const response = await fetch(`${url}/events`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: Record<string, unknown>[] = [];
  let buffer = '';
  return {
    async until(done: (events: readonly Record<string, unknown>[]) => boolean) {
      while (!done(events)) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error('the stream ended');
        buffer += value;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) for (const line of block.split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as Record<string, unknown>);
      }
      return events;
    },
  };
}

describe('GET /events wall-clock times', () => {
  it('starts with a snapshot of every provider, its open breaker retry time in wall-clock ms', async () => {
    const { primary, gateway, client } = await gatewayOnManualClock();
    await primary.setFault({ type: 'status', status: 503 });
    await client.chat.completions.create({ model: 'any', messages: [{ role: 'user', content: 'hi' }] });
    const before = Date.now();
    const stream = await openEvents(gateway.url);
    const [snapshot] = await stream.until((events) => events.length >= 1);
    expect(snapshot).toMatchObject({ type: 'snapshot', providers: [{ name: 'primary', model: 'p-model', breaker: 'open', retryAt: COOLDOWN_MS }, { name: 'backup', breaker: 'closed' }] });
    const at = snapshot!['at'] as number;
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    const [primaryState] = snapshot!['providers'] as { retryAtWall: number; lastAttemptAtWall: number }[];
    // The engine clock stands still at 0 here, so the trial is a whole cool-down after "now".
    expect(primaryState!.retryAtWall).toBeGreaterThanOrEqual(before + COOLDOWN_MS - 1);
    expect(primaryState!.retryAtWall).toBeLessThanOrEqual(Date.now() + COOLDOWN_MS + 1);
    expect(primaryState!.lastAttemptAtWall).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('adds atWall to every event and retryAtWall to breaker events, keeping the engine fields', async () => {
    const { primary, gateway, client } = await gatewayOnManualClock();
    const stream = await openEvents(gateway.url);
    await stream.until((events) => events.length >= 1);
    await primary.setFault({ type: 'status', status: 503 });
    const before = Date.now();
    await client.chat.completions.create({ model: 'any', messages: [{ role: 'user', content: 'hi' }] });
    const events = await stream.until((seen) => seen.some((event) => event['type'] === 'success'));
    const live = events.slice(1);
    expect(live.map((event) => event['type'])).toEqual(['attempt', 'failure', 'breaker', 'failover', 'attempt', 'success']);
    for (const event of live) {
      expect(event['at']).toBe(0);
      expect(event['atWall']).toBeGreaterThanOrEqual(before - 1);
      expect(event['atWall']).toBeLessThanOrEqual(Date.now() + 1);
    }
    const breaker = live.find((event) => event['type'] === 'breaker')!;
    expect(breaker).toMatchObject({ provider: 'primary', from: 'closed', to: 'open', retryAt: COOLDOWN_MS });
    expect(breaker['retryAtWall']).toBeGreaterThanOrEqual(before + COOLDOWN_MS - 1);
    expect(live.filter((event) => event['type'] !== 'breaker').every((event) => !('retryAtWall' in event))).toBe(true);
  });
});
