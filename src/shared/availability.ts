/** Called with `true` when the store answers again, `false` when it stops answering. */
export type AvailabilityListener = (available: boolean, detail: string) => void;

/**
 * Whether the shared store answers, told once per change: a Redis that drops emits many
 * errors (one per reconnect attempt) but the instance says "unavailable" once, and "back" once.
 * The store is assumed available until something says otherwise, so a healthy start is silent.
 */
export class Availability {
  private state = true;
  private lastDetail = '';
  private readonly listeners = new Set<AvailabilityListener>();

  constructor(private readonly log: (line: string) => void) {}

  get available(): boolean {
    return this.state;
  }

  /** Marks the store unreachable; true when that is news (it was available). */
  down(detail: string): boolean {
    return this.change(false, detail);
  }

  /** Marks the store reachable again; true when that is news. */
  up(detail: string): boolean {
    return this.change(true, detail);
  }

  /**
   * Subscribes to changes. A listener that arrives while the store is already unreachable (it
   * was down at start-up, before the engine subscribed) is told at once, so no one misses it.
   */
  onChange(listener: AvailabilityListener): () => void {
    this.listeners.add(listener);
    if (!this.state) {
      const detail = this.lastDetail;
      queueMicrotask(() => {
        if (this.listeners.has(listener) && !this.state) listener(false, detail);
      });
    }
    return () => void this.listeners.delete(listener);
  }

  private change(available: boolean, detail: string): boolean {
    if (this.state === available) return false;
    this.state = available;
    this.lastDetail = detail;
    this.log(detail);
    for (const listener of this.listeners) {
      try {
        listener(available, detail);
      } catch {
        // A listener's bug must not stop the others from hearing the news.
      }
    }
    return true;
  }
}
