import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../src/watch/ring-buffer.js';
import { ProbeHistory } from '../../src/watch/probe-history.js';

describe('RingBuffer', () => {
  it('keeps only the newest items, oldest first', () => {
    const buffer = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) buffer.push(i);
    expect(buffer.toArray()).toEqual([3, 4, 5]);
    expect(buffer.size).toBe(3);
    expect(buffer.last()).toBe(5);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});

describe('ProbeHistory', () => {
  it('stays bounded per provider however many probes are recorded', () => {
    const history = new ProbeHistory(60);
    for (let i = 0; i < 10_000; i++) history.record('primary', { ok: true, ms: i, at: i });
    const samples = history.samples('primary');
    expect(samples).toHaveLength(60);
    expect(samples[0]?.ms).toBe(9_940);
    expect(history.samples('unknown')).toEqual([]);
  });
});
