import { formatMs } from '../report/view-model.js';
import { paint } from '../report/style.js';
import type { BatchResult } from './batch.js';
import { formatRate } from './progress-view.js';

/** Where a batch read and wrote, for the summary and the retry hint. */
export interface BatchPaths {
  readonly input: string;
  readonly output: string;
  readonly outbox: string;
  readonly rejects: string;
}

/** The `--json` document of a batch. */
export function summaryJson(result: BatchResult, paths: BatchPaths, interrupted: 'no' | 'stopped' | 'aborted'): object {
  const { stats } = result;
  return {
    ...paths,
    wallMs: Math.round(result.wallMs),
    answered: stats.answered,
    answeredBy: Object.fromEntries(stats.answeredBy),
    failedOver: stats.failedOver,
    skipped: stats.skipped,
    outboxed: { total: stats.outboxedTotal, ...stats.outboxed },
    outboxKept: result.outboxKept,
    badLines: stats.badLines,
    notStarted: stats.notStarted,
    unreadLines: stats.unreadLines ?? null,
    retries: stats.retries,
    failovers: stats.failovers,
    breakerOpenings: stats.breakerOpenings,
    interrupted,
  };
}

/** The summary people read at the end of a batch: answered per provider, failovers, retries, outbox, wall time. */
export function summaryLines(result: BatchResult, paths: BatchPaths, interrupted: 'no' | 'stopped' | 'aborted', commandHint: string): string[] {
  const { stats } = result;
  const finished = stats.finished;
  const lines = [`${paint('bold', 'understudy run')}: ${finished} request${finished === 1 ? '' : 's'} in ${formatMs(result.wallMs)} (${formatRate(result.wallMs > 0 ? (finished * 1000) / result.wallMs : 0)})`];
  const byProvider = [...stats.answeredBy].map(([provider, count]) => `${provider} ${count}`).join(', ');
  lines.push(row('answered', stats.answered, [byProvider, stats.failedOver > 0 ? `${stats.failedOver} after a failover` : ''].filter(Boolean).join('; '), stats.answered > 0 ? 'green' : undefined));
  if (stats.skipped > 0) lines.push(row('skipped', stats.skipped, `already answered in ${paths.output}`));
  if (stats.outboxedTotal > 0) {
    const why = [
      stats.outboxed.exhausted ? `${stats.outboxed.exhausted} every provider failed` : '',
      stats.outboxed.rejected ? `${stats.outboxed.rejected} rejected by a provider as a bad request (fix before retrying)` : '',
      stats.outboxed.interrupted ? `${stats.outboxed.interrupted} interrupted` : '',
    ].filter(Boolean);
    lines.push(row('outbox', stats.outboxedTotal, `${why.join(', ')} → ${paths.outbox}`, 'red'));
  }
  if (stats.badLines > 0) lines.push(row('bad lines', stats.badLines, `not sent → ${paths.rejects}`, 'yellow'));
  lines.push(row('engine', stats.retries, `retries, ${stats.failovers} failovers, ${stats.breakerOpenings} breaker openings`));
  if (interrupted !== 'no') {
    const parts = [
      `${stats.notStarted} read but not started`,
      ...(stats.unreadLines ? [`${stats.unreadLines} input lines not reached`] : []),
      ...(stats.outboxed.interrupted ? [`${stats.outboxed.interrupted} aborted in flight`] : []),
    ];
    lines.push(paint('yellow', `interrupted: ${parts.join(', ')}; rerun the same command to continue`));
  }
  if (result.outboxKept > 0) lines.push(`retry the outbox: ${commandHint}`);
  return lines;
}

function row(label: string, count: number, detail: string, colour?: 'green' | 'red' | 'yellow'): string {
  const number = String(count).padStart(6);
  return `  ${label.padEnd(10)}${colour ? paint(colour, number) : number}  ${detail}`.trimEnd();
}
