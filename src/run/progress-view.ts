import type { BreakerState, ProviderState } from '../engine/types.js';
import { breakerView, type BreakerView } from '../report/view-model.js';
import type { BatchStats } from './batch-stats.js';

/**
 * What the batch progress shows, as data: the Ink bar and the plain periodic lines both render
 * this, so they never disagree. Pure: no I/O, no colour.
 */
export interface ProgressView {
  /** Finished this run: answered plus sent to the outbox. */
  readonly done: number;
  readonly answered: number;
  readonly failedOver: number;
  readonly outboxed: number;
  readonly badLines: number;
  readonly skipped: number;
  readonly inFlight: number;
  /** Still to send (read or not), when the input's size is known. */
  readonly queued: number | undefined;
  /** done / (done + queued), 0..1, when known. */
  readonly fraction: number | undefined;
  /** Finished requests per second since the start. */
  readonly ratePerSecond: number;
  readonly etaMs: number | undefined;
  readonly elapsedMs: number;
  readonly breakers: readonly { readonly name: string; readonly state: BreakerState; readonly view: BreakerView }[];
}

export function progressView(stats: BatchStats, providers: readonly ProviderState[], now: number): ProgressView {
  const elapsedMs = Math.max(0, now - stats.startedAt);
  const done = stats.finished;
  const queued = stats.remaining;
  const ratePerSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const etaMs = queued === undefined || ratePerSecond === 0 ? undefined : (queued / ratePerSecond) * 1000;
  const total = queued === undefined ? undefined : done + queued;
  return {
    done,
    answered: stats.answered,
    failedOver: stats.failedOver,
    outboxed: stats.outboxedTotal,
    badLines: stats.badLines,
    skipped: stats.skipped,
    inFlight: stats.inFlight,
    queued,
    fraction: total === undefined ? undefined : total === 0 ? 1 : done / total,
    ratePerSecond,
    etaMs,
    elapsedMs,
    breakers: providers.map((provider) => ({ name: provider.name, state: provider.breaker, view: breakerView(provider.breaker) })),
  };
}

/** `12.3/s`: one decimal under 100 per second, whole numbers above. */
export function formatRate(perSecond: number): string {
  return `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`;
}
