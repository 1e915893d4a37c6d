import type { Engine } from '../engine/types.js';
import { formatMs } from '../report/view-model.js';
import { breakerLabel } from '../report/style.js';
import type { BatchStats } from './batch-stats.js';
import { formatRate, progressView, type ProgressView } from './progress-view.js';

/** One progress line: `120/1000 done · 12 failed over · 0 to outbox · 4 in flight · 876 queued · 35.2/s · ETA 25 s · primary ○ open, backup ● closed`. */
export function progressLine(view: ProgressView): string {
  const total = view.queued === undefined ? '' : `/${view.done + view.queued}`;
  const parts = [
    `${view.done}${total} done`,
    `${view.failedOver} failed over`,
    `${view.outboxed} to outbox`,
    `${view.inFlight} in flight`,
    ...(view.queued === undefined ? [] : [`${Math.max(0, view.queued - view.inFlight)} queued`]),
    formatRate(view.ratePerSecond),
    ...(view.etaMs === undefined ? [] : [`ETA ${formatMs(view.etaMs)}`]),
    view.breakers.map((breaker) => `${breaker.name} ${breakerLabel(breaker.state)}`).join(', '),
  ];
  return parts.join(' · ');
}

export interface PlainProgressOptions {
  readonly stats: BatchStats;
  readonly engine: Engine;
  readonly write: (line: string) => void;
  readonly intervalMs: number;
  readonly now?: () => number;
}

/**
 * Progress where there is no terminal to redraw (a pipe, CI, a log file): one line every
 * `intervalMs`, so a log shows the batch moving without being flooded. Returns the stop function.
 */
export function startPlainProgress(options: PlainProgressOptions): () => void {
  const now = options.now ?? (() => performance.now());
  const timer = setInterval(() => options.write(progressLine(progressView(options.stats, options.engine.state(), now()))), options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
