import { describe, expect, it } from 'vitest';
import { AttemptScope } from '../../src/engine/attempt-scope.js';
import { ManualClock } from '../support/manual-clock.js';

describe('AttemptScope timeouts', () => {
  it('re-armed before it expires, counts from the last re-arm: steady chunks never time out, a stall does', async () => {
    const clock = new ManualClock();
    const scope = new AttemptScope(clock, undefined);
    scope.arm('idle', 3_000);
    for (let chunk = 0; chunk < 5; chunk++) {
      await clock.advance(2_000);
      scope.arm('idle', 3_000);
    }
    expect(scope.signal.aborted).toBe(false);
    await clock.advance(2_999);
    expect(scope.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(scope.signal.aborted).toBe(true);
    expect(scope.timedOut).toBe('idle');
    expect(scope.timeoutError()).toMatchObject({ kind: 'timeout', timeout: 'idle' });
  });

  it('keeps one clock timer however often a stream re-arms it', async () => {
    const clock = new ManualClock();
    const scope = new AttemptScope(clock, undefined);
    for (let chunk = 0; chunk < 100; chunk++) {
      scope.arm('idle', 3_000);
      scope.disarm();
      await clock.advance(10);
    }
    expect(clock.pendingTimers).toBe(1);
    scope.dispose(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not fire while disarmed (a slow consumer is not a stalled provider), and fires when armed again and due', async () => {
    const clock = new ManualClock();
    const scope = new AttemptScope(clock, undefined);
    scope.arm('idle', 1_000);
    scope.disarm();
    await clock.advance(5_000);
    expect(scope.signal.aborted).toBe(false);
    scope.arm('idle', 1_000);
    await clock.advance(1_000);
    expect(scope.timedOut).toBe('idle');
  });

  it('a shorter timeout armed after a longer one fires at its own time', async () => {
    const clock = new ManualClock();
    const scope = new AttemptScope(clock, undefined);
    scope.arm('first-token', 10_000);
    scope.arm('idle', 500);
    await clock.advance(500);
    expect(scope.timedOut).toBe('idle');
    expect(clock.now()).toBe(500);
  });
});
