import { describe, expect, it } from 'vitest';
import { Cancellation, toAbortSignal } from '../../src/engine/cancellation.js';

describe('Cancellation', () => {
  it('runs each listener once, in the order added, with the reason set before they run', () => {
    const cancellation = new Cancellation();
    const seen: string[] = [];
    cancellation.addEventListener('abort', () => seen.push(`first ${String(cancellation.reason)}`));
    cancellation.addEventListener('abort', () => seen.push(`second ${String(cancellation.aborted)}`));
    expect(cancellation.aborted).toBe(false);
    cancellation.abort('gone');
    cancellation.abort('again');
    expect(seen).toEqual(['first gone', 'second true']);
    expect(cancellation.reason).toBe('gone');
  });

  it('aborts with an AbortError when given no reason, as AbortController does', () => {
    const cancellation = new Cancellation();
    cancellation.abort();
    expect(cancellation.reason).toBeInstanceOf(DOMException);
    expect((cancellation.reason as DOMException).name).toBe('AbortError');
  });

  it('never runs a listener that was removed, or one added after the abort', () => {
    const cancellation = new Cancellation();
    let calls = 0;
    const listener = () => calls++;
    cancellation.addEventListener('abort', listener);
    cancellation.removeEventListener('abort', listener);
    cancellation.abort();
    cancellation.addEventListener('abort', listener);
    expect(calls).toBe(0);
  });
});

describe('toAbortSignal', () => {
  it('passes an AbortSignal through as it is', () => {
    const signal = new AbortController().signal;
    expect(toAbortSignal(signal)).toBe(signal);
  });

  it('makes an AbortSignal that aborts with the Cancellation, and with its reason', () => {
    const cancellation = new Cancellation();
    const signal = toAbortSignal(cancellation);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    cancellation.abort('stop');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('stop');
  });

  it('gives a Cancellation one AbortSignal, however often asked', () => {
    const cancellation = new Cancellation();
    expect(toAbortSignal(cancellation)).toBe(toAbortSignal(cancellation));
  });

  it('follows any other signal shaped like one', () => {
    const listeners: (() => void)[] = [];
    const other = { aborted: false, reason: 'theirs', addEventListener: (_type: 'abort', listener: () => void) => void listeners.push(listener), removeEventListener: () => {} };
    const signal = toAbortSignal(other);
    listeners.forEach((listener) => listener());
    expect([signal.aborted, signal.reason]).toEqual([true, 'theirs']);
  });

  it('makes an aborted AbortSignal for a Cancellation already aborted', () => {
    const cancellation = new Cancellation();
    cancellation.abort('earlier');
    const signal = toAbortSignal(cancellation);
    expect([signal.aborted, signal.reason]).toEqual([true, 'earlier']);
  });
});
