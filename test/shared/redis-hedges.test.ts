import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedisHealth } from '../../src/shared/redis-health.js';
import { freshPrefix } from './fleet-fixture.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.kill();
});

describe('the fleet’s hedge ledger in Redis', () => {
  it('adds every instance’s requests and hedges into one total, and answers nothing once closed', async () => {
    const prefix = freshPrefix('hedges');
    const a = await connectRedisHealth({ url: redis.url, prefix, instanceId: 'a', log: () => {} });
    const b = await connectRedisHealth({ url: redis.url, prefix, instanceId: 'b', log: () => {} });
    try {
      expect(await a.countHedges(10, 1, 60_000)).toEqual({ requests: 10, hedges: 1 });
      expect(await b.countHedges(5, 0, 60_000)).toEqual({ requests: 15, hedges: 1 });
      expect(await a.countHedges(0, 0, 60_000)).toEqual({ requests: 15, hedges: 1 });
      const other = await connectRedisHealth({ url: redis.url, prefix: freshPrefix('hedges'), log: () => {} });
      expect(await other.countHedges(1, 0, 60_000)).toEqual({ requests: 1, hedges: 0 });
      await other.close();
    } finally {
      await a.close();
    }
    expect(await a.countHedges(1, 0, 60_000)).toBeUndefined();
    await b.close();
  });
});
