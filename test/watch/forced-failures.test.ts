import { describe, expect, it, vi } from 'vitest';
import { ForcedFailures, forcedFailureFetch, PROVIDER_TAG_HEADER } from '../../src/watch/forced-failures.js';

describe('forcedFailureFetch', () => {
  it('answers a forced provider with a 503 without calling the network', async () => {
    const base = vi.fn(async () => new Response('{}'));
    const forced = new ForcedFailures();
    expect(forced.toggle('primary')).toBe(true);
    const response = await forcedFailureFetch(forced, base)('http://127.0.0.1:1/v1/models', { headers: { [PROVIDER_TAG_HEADER]: 'primary' } });
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/forced to fail by understudy watch/);
    expect(base).not.toHaveBeenCalled();
  });

  it('passes other providers through without the tag header, and restores a toggled one', async () => {
    const seen: Headers[] = [];
    const base = vi.fn(async (_input: string | URL | Request, init?: RequestInit) => {
      seen.push(new Headers(init?.headers));
      return new Response('{}');
    });
    const forced = new ForcedFailures();
    forced.toggle('primary');
    expect(forced.toggle('primary')).toBe(false);
    const response = await forcedFailureFetch(forced, base)('http://127.0.0.1:1/v1/models', {
      headers: { [PROVIDER_TAG_HEADER]: 'primary', authorization: 'Bearer x' },
    });
    expect(response.status).toBe(200);
    expect(seen[0]?.has(PROVIDER_TAG_HEADER)).toBe(false);
    expect(seen[0]?.get('authorization')).toBe('Bearer x');
  });
});
