import { describe, expect, it } from 'vitest';
import { PROMPT, startSetup } from './helpers.js';


describe('the gateway and hedging', () => {
  const hedging = { hedge: { afterMs: 100, maxExtraPercent: 100 } };

  it('answers a hedged request from the faster provider, saying so in a header and nowhere in the body', async () => {
    const { client, primary, backup } = await startSetup(hedging);
    await primary.setFault({ type: 'slow-first-token', delayMs: 1_500 });
    const { data, response } = await client.chat.completions.create(PROMPT).withResponse();
    expect(response.headers.get('x-understudy-provider')).toBe('backup');
    expect(response.headers.get('x-understudy-hedged')).toBe('hedge');
    expect(data).not.toHaveProperty('hedged');
    expect(data).not.toHaveProperty('wonBy');
    expect([primary.counters.completions, backup.counters.completions]).toEqual([1, 1]);
  });

  it('never hedges a request sent with x-understudy-hedge: off', async () => {
    const { client, primary, backup } = await startSetup(hedging);
    await primary.setFault({ type: 'slow-first-token', delayMs: 400 });
    const { response } = await client.chat.completions.create(PROMPT, { headers: { 'x-understudy-hedge': 'off' } }).withResponse();
    expect(response.headers.get('x-understudy-provider')).toBe('primary');
    expect(response.headers.get('x-understudy-hedged')).toBeNull();
    expect(backup.counters.completions).toBe(0);
  });
});
