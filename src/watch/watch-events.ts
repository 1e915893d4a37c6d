import type { BreakerState } from '../engine/types.js';
import { breakerView, describeDegraded, formatCountdown, formatMs, type ViewColour } from '../report/view-model.js';
import { formatTimeOfDay } from './wall-time.js';

/**
 * What happened while watching, for the event list, the plain lines and the JSON lines. Times
 * are wall-clock ms, already converted from the engine clock. A health source (the local probe
 * loop, later a gateway's event stream) produces these; outputs only render them.
 */
export type WatchEvent =
  | { readonly type: 'breaker'; readonly at: number; readonly provider: string; readonly from: BreakerState; readonly to: BreakerState; readonly retryAt?: number; readonly cause?: string }
  | { readonly type: 'recovered'; readonly at: number; readonly provider: string; readonly downForMs: number }
  /** A provider became slow (p90 time to first token over its slowMs), or fast again (`p90Ms` undefined: its samples aged out). */
  | { readonly type: 'degraded'; readonly at: number; readonly provider: string; readonly degraded: boolean; readonly p90Ms?: number; readonly slowMs: number }
  /** A request moved from one provider to the next (an engine that serves requests). */
  | { readonly type: 'failover'; readonly at: number; readonly from: string; readonly to: string; readonly reason: string }
  /** Where traffic would go changed (`to` undefined: nowhere, every breaker is open). */
  | { readonly type: 'traffic'; readonly at: number; readonly from?: string; readonly to?: string }
  | { readonly type: 'forced'; readonly at: number; readonly provider: string; readonly forced: boolean }
  | { readonly type: 'reset'; readonly at: number; readonly provider: string }
  /** An attached source reached what it watches, or lost it (`retryAt`: wall-clock ms of the next try). */
  | { readonly type: 'link'; readonly at: number; readonly target: string; readonly state: 'connected' | 'disconnected'; readonly detail?: string; readonly retryAt?: number }
  /** A fleet instance's heartbeat appeared, or expired. */
  | { readonly type: 'instance'; readonly at: number; readonly id: string; readonly change: 'joined' | 'left'; readonly host?: string; readonly pid?: number };

/** An engine's (or a gateway's) `degraded` event as the watch shows it, at wall-clock `at`. */
export function degradedWatchEvent(event: { provider: string; degraded: boolean; p90Ms?: number | undefined; slowMs: number }, at: number): WatchEvent {
  return {
    type: 'degraded',
    at,
    provider: event.provider,
    degraded: event.degraded,
    ...(event.p90Ms === undefined ? {} : { p90Ms: event.p90Ms }),
    slowMs: event.slowMs,
  };
}

/** One event as a line of the board's event list. */
export interface EventLine {
  /** `14:03:07` */
  readonly time: string;
  readonly text: string;
  /** How bad it is; the board colours the line by it. */
  readonly colour?: ViewColour;
}

/** Describes an event for people: `primary ● closed → ○ open (503 server error; trial in 30 s)`. */
export function describeWatchEvent(event: WatchEvent): EventLine {
  const time = formatTimeOfDay(event.at);
  switch (event.type) {
    case 'breaker': {
      const from = breakerView(event.from);
      const to = breakerView(event.to);
      const details = [event.cause, event.retryAt === undefined ? undefined : `trial ${formatCountdown(event.retryAt, event.at)}`].filter(Boolean);
      const suffix = details.length > 0 ? ` (${details.join('; ')})` : '';
      return { time, text: `${event.provider} ${from.glyph} ${from.word} → ${to.glyph} ${to.word}${suffix}`, colour: to.colour };
    }
    case 'recovered':
      return { time, text: `${event.provider} recovered after ${formatMs(event.downForMs)} down`, colour: 'green' };
    case 'degraded':
      if (event.degraded && event.p90Ms !== undefined) {
        return { time, text: `${event.provider} ${describeDegraded({ p90Ms: event.p90Ms, slowMs: event.slowMs })}`, colour: 'yellow' };
      }
      return {
        time,
        text: `${event.provider} fast again${event.p90Ms === undefined ? ' (no slow samples left in the window)' : ` (p90 ${formatMs(event.p90Ms)} ≤ ${formatMs(event.slowMs)})`}`,
        colour: 'green',
      };
    case 'failover':
      return { time, text: `failover ${event.from} → ${event.to} (${event.reason})`, colour: 'yellow' };
    case 'traffic':
      return event.to === undefined
        ? { time, text: 'traffic → nowhere: every breaker is open', colour: 'red' }
        : { time, text: `traffic → ${event.to}${event.from ? ` (was ${event.from})` : ''}`, colour: event.from ? 'yellow' : 'green' };
    case 'forced':
      return event.forced
        ? { time, text: `${event.provider} forced to fail from watch`, colour: 'yellow' }
        : { time, text: `${event.provider} restored from watch`, colour: 'green' };
    case 'reset':
      return { time, text: `${event.provider} breaker reset by hand` };
    case 'link':
      return event.state === 'connected'
        ? { time, text: `connected to ${event.target}`, colour: 'green' }
        : {
            time,
            text: `disconnected from ${event.target}${event.detail ? `: ${event.detail}` : ''}${event.retryAt === undefined ? '' : `; retrying ${formatCountdown(event.retryAt, event.at)}`}`,
            colour: 'red',
          };
    case 'instance':
      return event.change === 'joined'
        ? { time, text: `instance ${event.id} joined${event.host ? ` (${event.host}, pid ${event.pid ?? '?'})` : ''}` }
        : { time, text: `instance ${event.id} left (heartbeat expired)`, colour: 'yellow' };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled watch event: ${JSON.stringify(value)}`);
}
