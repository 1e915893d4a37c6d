import { describe, expect, it } from 'vitest';
import { FaultSpecError, parseFaultSpec } from '../../src/mock/fault-spec.js';

describe('parseFaultSpec', () => {
  it.each([
    ['503', { type: 'status', status: 503 }],
    ['503x3', { type: 'status', status: 503, count: 3 }],
    ['503@10s', { type: 'status', status: 503, forMs: 10_000 }],
    ['500x2@1m', { type: 'status', status: 500, count: 2, forMs: 60_000 }],
    ['429:retry-after=2', { type: 'status', status: 429, headers: { 'retry-after': '2' } }],
    ['429:Retry-After=2,x-reason=busy', { type: 'status', status: 429, headers: { 'retry-after': '2', 'x-reason': 'busy' } }],
    ['html', { type: 'html' }],
    ['html:200', { type: 'html', status: 200 }],
    ['malformed', { type: 'malformed-json' }],
    ['malformed-json', { type: 'malformed-json' }],
    ['reset', { type: 'reset' }],
    ['refuse', { type: 'refuse' }],
    ['refuse@250ms', { type: 'refuse', forMs: 250 }],
    ['hang', { type: 'hang' }],
    ['HANG', { type: 'hang' }],
    ['slow-first-token:5000', { type: 'slow-first-token', delayMs: 5_000 }],
    ['slow:2s', { type: 'slow-first-token', delayMs: 2_000 }],
    ['drop:3', { type: 'drop-mid-stream', afterChunks: 3 }],
    ['drop-mid-stream:0x2', { type: 'drop-mid-stream', afterChunks: 0, count: 2 }],
    [' 502 ', { type: 'status', status: 502 }],
    ['slow:2s/10', { type: 'slow-first-token', delayMs: 2_000, every: 10 }],
    ['503/4x2', { type: 'status', status: 503, every: 4, count: 2 }],
  ])('reads %j', (spec, expected) => {
    expect(parseFaultSpec(spec)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['nope', /unknown fault "nope"/],
    ['99', /status must be an HTTP status from 200 to 599, not 99/],
    ['600', /status must be an HTTP status/],
    ['429:retry-after', /"retry-after" is not a header: write NAME=VALUE/],
    ['html:abc', /html takes a status code/],
    ['html:700', /status must be an HTTP status/],
    ['hang:5', /hang takes no ":5"/],
    ['slow-first-token', /needs a delay/],
    ['slow:fast', /"fast" after slow: is not a duration/],
    ['drop', /needs the number of chunks/],
    ['drop:x', /needs the number of chunks/],
    ['503x0', /count after x must be at least 1/],
    ['503@10', /"10" after @ is not a duration; write e\.g\. 10s/],
    ['503@soon', /"soon" after @ is not a duration/],
    ['refusex3', /refuse cannot be limited to a number of requests/],
    ['slow:2s/0', /the N after \/ must be at least 1/],
    ['refuse/10', /refuse cannot hit one request in N/],
  ])('rejects %j, saying what is wrong', (spec, message) => {
    const attempt = () => parseFaultSpec(spec);
    expect(attempt).toThrow(FaultSpecError);
    expect(attempt).toThrow(message);
  });

  it('quotes the spec in its message', () => {
    expect(() => parseFaultSpec('5o3')).toThrow('bad fault spec "5o3"');
  });
});

describe('a fault that hits one request in N', () => {
  it('plays on every Nth request it applies to and answers the others normally', async () => {
    const { FaultSchedule } = await import('../../src/mock/fault-schedule.js');
    const schedule = new FaultSchedule(() => {});
    schedule.set([{ type: 'slow-first-token', delayMs: 100, every: 3, count: 2 }]);
    const played = Array.from({ length: 9 }, () => schedule.take('completions')?.type ?? 'none');
    expect(played).toEqual(['none', 'none', 'slow-first-token', 'none', 'none', 'slow-first-token', 'none', 'none', 'none']);
  });
});
