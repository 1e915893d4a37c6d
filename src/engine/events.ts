import type { Clock } from './clock.js';
import type { EngineEvent, EngineEventMap, EngineEventName } from './types.js';

type Listener = (event: EngineEvent) => void;

/**
 * Typed events for everything the engine does. A listener that throws must not break a
 * request, so its error is reported as a process warning instead of propagating.
 */
export class EngineEvents {
  private readonly byType = new Map<EngineEventName, Set<Listener>>();
  private readonly any = new Set<Listener>();

  constructor(private readonly clock: Clock) {}

  on(type: EngineEventName, listener: Listener): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onAny(listener: Listener): () => void {
    this.any.add(listener);
    return () => this.any.delete(listener);
  }

  /** Emits an event stamped with the clock; built only when someone listens (the hot path). */
  emit<K extends EngineEventName>(type: K, payload: EngineEventMap[K]): void {
    const typed = this.byType.get(type);
    if (this.any.size === 0 && (typed === undefined || typed.size === 0)) return;
    const event = { type, at: this.clock.now(), ...payload } as unknown as EngineEvent;
    for (const listener of typed ?? []) call(listener, event);
    for (const listener of this.any) call(listener, event);
  }
}

function call(listener: Listener, event: EngineEvent): void {
  try {
    listener(event);
  } catch (error) {
    process.emitWarning(`understudy: an engine event listener threw on "${event.type}": ${String(error)}`);
  }
}
