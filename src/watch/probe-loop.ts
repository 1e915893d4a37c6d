import type { Clock } from '../engine/clock.js';

/**
 * Runs `round` at once and then `intervalMs` after each round ends (rounds never overlap, so a
 * hanging provider delays the next round instead of piling calls up). Timers are unref'd: the
 * loop never keeps the process alive on its own.
 */
export class ProbeLoop {
  private cancelTimer: () => void = () => {};
  private running: Promise<void> | undefined;
  /** A "probe now" asked for while a round was running: run a forced round right after. */
  private forceAfter = false;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly round: (force: boolean) => Promise<void>,
  ) {}

  /** Starts with a round now. */
  start(): void {
    this.run(false);
  }

  /** A forced round now (or right after the one under way). */
  probeNow(): void {
    if (this.stopped) return;
    if (this.running) {
      this.forceAfter = true;
      return;
    }
    this.cancelTimer();
    this.run(true);
  }

  /** Resolves once the round under way, if any, has ended. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private run(force: boolean): void {
    this.running = this.round(force)
      .catch(() => {}) // a round reports its own failures; the loop must keep going
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.forceAfter) {
          this.forceAfter = false;
          this.run(true);
        } else {
          this.cancelTimer = this.clock.setTimeout(() => this.run(false), this.intervalMs, { unref: true });
        }
      });
  }
}
