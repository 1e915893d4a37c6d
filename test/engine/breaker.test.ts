import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerChange } from '../../src/engine/breaker.js';
import { ManualClock } from '../support/manual-clock.js';

const config = { failureThreshold: 3, cooldownMs: 1_000, maxCooldownMs: 5_000, providerErrorCooldownMs: 60_000 };

function breaker() {
  const clock = new ManualClock();
  const changes: BreakerChange[] = [];
  return { clock, changes, breaker: new CircuitBreaker(config, clock, (change) => changes.push(change)) };
}

function failTimes(b: CircuitBreaker, n: number) {
  for (let i = 0; i < n; i++) b.failure(b.tryAcquire() ?? { trial: false });
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and opens at it', () => {
    const { breaker: b } = breaker();
    failTimes(b, 2);
    expect(b.state).toBe('closed');
    failTimes(b, 1);
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBeUndefined();
  });

  it('counts consecutive failures only: a success in between resets the count', () => {
    const { breaker: b } = breaker();
    failTimes(b, 2);
    b.success(b.tryAcquire()!);
    failTimes(b, 2);
    expect(b.state).toBe('closed');
  });

  it('turns half-open after the cool-down and admits exactly one trial', async () => {
    const { breaker: b, clock } = breaker();
    failTimes(b, 3);
    await clock.advance(999);
    expect(b.tryAcquire()).toBeUndefined();
    await clock.advance(1);
    expect(b.tryAcquire()).toEqual({ trial: true });
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBeUndefined();
    expect(b.tryAcquire()).toBeUndefined();
  });

  it('closes if the half-open trial succeeds, reporting how long it was down', async () => {
    const { breaker: b, clock, changes } = breaker();
    failTimes(b, 3);
    await clock.advance(1_000);
    b.success(b.tryAcquire()!);
    expect(b.state).toBe('closed');
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
    expect(changes.at(-1)!.downForMs).toBe(1_000);
  });

  it('re-opens with a doubled cool-down when the trial fails, capped at maxCooldownMs', async () => {
    const { breaker: b, clock } = breaker();
    failTimes(b, 3);
    const cooldowns: number[] = [];
    for (let i = 0; i < 4; i++) {
      await clock.advance(b.retryAt! - clock.now());
      const permit = b.tryAcquire()!;
      b.failure(permit);
      cooldowns.push(b.retryAt! - clock.now());
    }
    expect(cooldowns).toEqual([2_000, 4_000, 5_000, 5_000]);
  });

  it('ignores the failure of a non-trial call while half-open (the trial decides)', async () => {
    const { breaker: b, clock } = breaker();
    failTimes(b, 3);
    await clock.advance(1_000);
    const trial = b.tryAcquire()!;
    b.failure({ trial: false });
    expect(b.state).toBe('half-open');
    b.success(trial);
    expect(b.state).toBe('closed');
  });

  it('goes back to open, due at once, when a trial is released without a verdict (never stuck half-open)', async () => {
    const { breaker: b, clock } = breaker();
    failTimes(b, 3);
    await clock.advance(1_000);
    b.release(b.tryAcquire()!);
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toEqual({ trial: true });
  });

  it('trips open at once with the long cool-down on a provider-only failure', () => {
    const { breaker: b, clock } = breaker();
    b.trip(b.tryAcquire()!);
    expect(b.state).toBe('open');
    expect(b.retryAt! - clock.now()).toBe(60_000);
  });

  it('forceTrial gives the one trial even before the cool-down ends', () => {
    const { breaker: b } = breaker();
    failTimes(b, 3);
    expect(b.tryAcquire()).toBeUndefined();
    expect(b.forceTrial()).toEqual({ trial: true });
    expect(b.forceTrial()).toBeUndefined();
  });

  it('reset closes it', () => {
    const { breaker: b } = breaker();
    failTimes(b, 3);
    b.reset();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toEqual({ trial: false });
  });
});
