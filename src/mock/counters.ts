import type { ServerResponse } from 'node:http';

/** The counts the mock provider and the fault proxy both keep. */
export interface RequestCounters {
  /** Every HTTP request received (refused connections never arrive, so they are not counted). */
  requests: number;
  /** Requests a fault was played on. */
  faults: number;
  /** Responses by the status they were sent with (a reset or a hang sends none). */
  byStatus: Record<number, number>;
}

/** Fresh, zeroed shared counters. */
export function newCounters(): RequestCounters {
  return { requests: 0, faults: 0, byStatus: {} };
}

/** Counts a response's status once it is over, if a status was sent at all. */
export function recordStatus(counters: RequestCounters, res: ServerResponse): void {
  if (res.headersSent) counters.byStatus[res.statusCode] = (counters.byStatus[res.statusCode] ?? 0) + 1;
}

/** Zeroes counters in place, so a reference a test holds stays live. */
export function resetCounters<T extends RequestCounters>(counters: T, extra: Omit<T, keyof RequestCounters>): void {
  Object.assign(counters, newCounters(), extra);
}
