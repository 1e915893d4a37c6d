import type { HealthUpdate } from './health-source.js';
import { RingBuffer } from './ring-buffer.js';
import type { WatchEvent } from './watch-events.js';

/** Events kept for the board unless a source says otherwise. */
export const DEFAULT_EVENT_LIMIT = 32;

/**
 * What every health source (probes, a gateway, a fleet) does alike: hand updates to its
 * subscribers, keep the latest events for the board, and go quiet once closed.
 */
export class UpdateHub {
  private readonly listeners = new Set<(update: HealthUpdate) => void>();
  private readonly events: RingBuffer<WatchEvent>;
  private isClosed = false;

  constructor(eventLimit = DEFAULT_EVENT_LIMIT) {
    this.events = new RingBuffer<WatchEvent>(eventLimit);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  subscribe(listener: (update: HealthUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(update: HealthUpdate): void {
    if (this.isClosed) return;
    for (const listener of this.listeners) listener(update);
  }

  /** Keeps the event for the board and tells the subscribers. */
  pushEvent(event: WatchEvent): void {
    this.events.push(event);
    this.emit({ type: 'event', event });
  }

  recentEvents(): WatchEvent[] {
    return this.events.toArray();
  }

  /** Stops every update; false when it was already closed (so closing work runs once). */
  close(): boolean {
    if (this.isClosed) return false;
    this.isClosed = true;
    this.listeners.clear();
    return true;
  }
}
