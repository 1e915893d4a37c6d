import { describe, expect, it } from 'vitest';
import { answerHeaders } from '../../src/serve/answer-headers.js';
import type { Attempt } from '../../src/engine/types.js';

const success = (provider: string): Attempt => ({ provider, outcome: 'success', ms: 1 });
const failure = (provider: string): Attempt => ({ provider, outcome: 'failure', ms: 1 });
const skipped = (provider: string): Attempt => ({ provider, outcome: 'skipped', reason: 'breaker open', ms: 0 });

describe('answerHeaders', () => {
  it('says one call and no failover for a first-time answer', () => {
    expect(answerHeaders('primary', [success('primary')])).toEqual({
      'x-understudy-provider': 'primary',
      'x-understudy-attempts': '1',
      'x-understudy-failover': 'false',
    });
  });

  it('counts a primary skipped for its open breaker as a failover but not as a call', () => {
    expect(answerHeaders('backup', [skipped('primary'), success('backup')])).toEqual({
      'x-understudy-provider': 'backup',
      'x-understudy-attempts': '1',
      'x-understudy-failover': 'true',
    });
  });

  it('does not call a retry of the same provider a failover', () => {
    expect(answerHeaders('primary', [failure('primary'), success('primary')])).toMatchObject({
      'x-understudy-attempts': '2',
      'x-understudy-failover': 'false',
    });
  });

  it('counts a call cancelled by a hedge as a call', () => {
    const cancelled: Attempt = { provider: 'primary', outcome: 'cancelled', reason: 'lost the hedge race', ms: 5 };
    expect(answerHeaders('backup', [cancelled, success('backup')])).toMatchObject({ 'x-understudy-attempts': '2', 'x-understudy-failover': 'true' });
  });

  it('without an answering provider, names none and fails over only when a second provider was tried', () => {
    expect(answerHeaders(undefined, [failure('primary'), failure('primary')])).toEqual({ 'x-understudy-attempts': '2', 'x-understudy-failover': 'false' });
    expect(answerHeaders(undefined, [skipped('primary'), failure('backup')])).toEqual({ 'x-understudy-attempts': '1', 'x-understudy-failover': 'true' });
    expect(answerHeaders(undefined, [])).toEqual({ 'x-understudy-attempts': '0', 'x-understudy-failover': 'false' });
  });
});
