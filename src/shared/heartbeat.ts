import { hostname } from 'node:os';
import type { FleetInstance } from './fleet-view.js';

/** The heartbeat record of this process as instance `id`. */
export function instanceRecord(id: string, startedAtWallMs: number): FleetInstance {
  return { id, host: hostname(), pid: process.pid, startedAtWallMs, seenAtWallMs: Date.now() };
}

/** A fresh id for this process: readable in `listInstances()`, unique across restarts. */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Calls `beat` every `intervalMs`. The timer is unref'd: a heartbeat never keeps the process
 * alive. Returns a stop function.
 */
export function startHeartbeat(beat: () => void, intervalMs: number): () => void {
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
