import { describe, expect, it } from 'vitest';
import { describeRedis } from '../../src/shared/connection.js';
import { fleetKeys } from '../../src/shared/keys.js';

describe('fleet keys', () => {
  it('puts every key and the channel under the prefix', () => {
    const keys = fleetKeys('understudy:prod');
    expect(keys.breaker('openai')).toBe('understudy:prod:breaker:openai');
    expect(keys.trial('openai')).toBe('understudy:prod:trial:openai');
    expect(keys.instance('host:42:ab')).toBe('understudy:prod:instances:host:42:ab');
    expect(keys.changesChannel).toBe('understudy:prod:breaker-changes');
  });

  it('escapes glob characters of the prefix in SCAN patterns, so one fleet never matches another', () => {
    expect(fleetKeys('team[1]*').breakerPattern).toBe('team\\[1\\]\\*:breaker:*');
  });

  it('describes a Redis URL without its credentials', () => {
    expect(describeRedis('redis://user:hunter2@cache.internal:6380/3')).toBe('redis://cache.internal:6380/3');
    expect(describeRedis('not a url')).not.toContain('not a url');
  });
});
