import type { Clock } from '../engine/clock.js';

/**
 * Converts engine clock times (performance.now()-based, or a test's manual clock) to wall-clock
 * times for people, by the offset between the two taken once at start.
 */
export interface WallTime {
  /** Wall-clock ms (Date.now() scale) for an engine clock time. */
  toWall(clockMs: number): number;
  /** Wall-clock ms now. */
  now(): number;
}

export function wallTimeOf(clock: Clock, dateNow: () => number = Date.now): WallTime {
  const offset = dateNow() - clock.now();
  return {
    toWall: (clockMs) => clockMs + offset,
    now: () => clock.now() + offset,
  };
}

/** `14:03:07`, local time: the board and plain lines are read by people in their own zone. */
export function formatTimeOfDay(wallMs: number): string {
  const date = new Date(wallMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}
