import { describe, expect, it } from 'vitest';
import { sharedStateSchema } from '../../src/config/schema.js';

describe('state config (fleet mode)', () => {
  it('fills the prefix and the bound on every Redis call', () => {
    expect(sharedStateSchema.parse({ redis: 'redis://127.0.0.1:6379/0' })).toEqual({ redis: 'redis://127.0.0.1:6379/0', prefix: 'understudy', timeoutMs: 50 });
  });

  it('takes a TLS URL with a password and a fleet prefix', () => {
    const parsed = sharedStateSchema.parse({ redis: 'rediss://:pw@cache.internal:6380/2', prefix: 'understudy:prod', timeoutMs: 100 });
    expect(parsed.prefix).toBe('understudy:prod');
  });

  it('rejects a URL that is not Redis, an empty prefix, and unknown keys', () => {
    expect(sharedStateSchema.safeParse({ redis: 'http://127.0.0.1:6379' }).success).toBe(false);
    expect(sharedStateSchema.safeParse({ redis: 'redis://127.0.0.1:6379', prefix: '' }).success).toBe(false);
    expect(sharedStateSchema.safeParse({ redis: 'redis://127.0.0.1:6379', prefx: 'typo' }).success).toBe(false);
  });
});
