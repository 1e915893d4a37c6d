import type { Clock } from '../../src/engine/clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Lets I/O callbacks and promise chains run (the SDK awaits a lot between our timers). */
export async function flushIo(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A clock that moves only when a test says so: cool-downs of minutes take microseconds. */
export class ManualClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((candidate) => candidate !== timer);
    };
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order and letting each one's work run. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await flushIo();
      const next = this.nextTimer();
      if (!next || next.at > target) break;
      this.fire(next);
    }
    this.time = target;
    await flushIo();
  }

  /**
   * Runs `promise` to completion, jumping time to each next timer whenever nothing else can
   * happen: a request with backoff and timeouts settles at once, and `now()` tells how long
   * it took in engine time.
   */
  async settle<T>(promise: Promise<T>, maxSteps = 1_000): Promise<T> {
    let settled = false;
    const tracked = promise.finally(() => {
      settled = true;
    });
    tracked.catch(() => {});
    for (let step = 0; step < maxSteps && !settled; step++) {
      await flushIo();
      if (settled) break;
      const next = this.nextTimer();
      if (next) this.fire(next);
      // Nothing due in engine time: the work is real I/O (a loopback server), so give it a moment.
      else await new Promise<void>((resolve) => setTimeout(resolve, 1));
    }
    return tracked;
  }

  private nextTimer(): Timer | undefined {
    return [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((candidate) => candidate !== timer);
    this.time = Math.max(this.time, timer.at);
    timer.fn();
  }
}
