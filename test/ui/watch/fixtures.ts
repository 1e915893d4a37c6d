import type { ProviderState } from '../../../src/engine/types.js';
import type { ProbeSample } from '../../../src/watch/probe-history.js';
import { buildRows, type WatchRow } from '../../../src/watch/rows.js';
import type { WatchEvent } from '../../../src/watch/watch-events.js';

/** A fixed wall-clock time: 14:03:07 local. */
export const AT = new Date(2025, 0, 2, 14, 3, 7).getTime();

const ok = (ms: number[]): ProbeSample[] => ms.map((value, i) => ({ ok: true, ms: value, at: i }));

const stats = (consecutiveFailures: number, lastLatencyMs: number) => ({
  requests: 10,
  successes: 10 - consecutiveFailures,
  failures: consecutiveFailures,
  consecutiveFailures,
  lastLatencyMs,
  ...(consecutiveFailures > 0 ? { lastError: { class: 'retryable' as const, kind: 'server' as const, status: 503, message: 'upstream down' } } : {}),
});

/** Rows for a primary in `breaker` state and a healthy backup, at engine time `now`. */
export function rowsWith(breaker: ProviderState['breaker'], now = 0, forced = false): WatchRow[] {
  const failing = breaker === 'closed' ? 0 : 3;
  const states: ProviderState[] = [
    { name: 'primary', model: 'gpt-4o-mini', breaker, ...(breaker === 'open' ? { retryAt: 30_000 } : {}), stats: stats(failing, 120) },
    { name: 'backup', model: 'llama-3.1-70b', breaker: 'closed', stats: stats(0, 240) },
  ];
  return buildRows({
    states,
    history: new Map([
      ['primary', [...ok([100, 110, 120]), ...(failing ? [{ ok: false, ms: 2, at: 9 }] : [])]],
      ['backup', ok([200, 220, 240, 260])],
    ]),
    forced: new Set(forced ? ['primary'] : []),
    now,
  });
}

export const EVENTS: WatchEvent[] = [
  { type: 'forced', at: AT - 5_000, provider: 'primary', forced: true },
  { type: 'breaker', at: AT, provider: 'primary', from: 'closed', to: 'open', retryAt: AT + 30_000, cause: '503 server error' },
  { type: 'traffic', at: AT, from: 'primary', to: 'backup' },
];

/** The provider table's line for `name` in a rendered frame (not the title, which may name it too). */
export function tableRow(frame: string, name: string): string {
  return frame.split('\n').find((line) => /^(►| ) \d+ /.test(line) && line.includes(` ${name} `)) ?? '';
}
