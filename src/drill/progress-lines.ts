import type { CheckOutcome } from '../report/check-result.js';
import { breakerLabel, paint } from '../report/style.js';
import { describeError, formatMs } from '../report/view-model.js';
import type { DrillProgress, RequestRecord } from './types.js';
import { describeOutcome, isSkipped } from './checks.js';
import { foldRuns } from './fold.js';

/**
 * The drill's progress as plain lines (for stderr when not on an interactive terminal):
 * each scenario's injection, requests, breaker changes and verdicts as they happen.
 */
export function progressLines(write: (line: string) => void): (progress: DrillProgress) => void {
  return (progress) => {
    switch (progress.type) {
      case 'steady-state': {
        const parts = progress.result.providers.map((provider) =>
          provider.ok ? `${paint('green', '✓')} ${provider.name} answered (${formatMs(provider.ms)})` : `${paint('red', '✗')} ${provider.name} did not answer: ${provider.detail ?? 'unknown error'}`,
        );
        write(`steady state: ${parts.join(' · ')}`);
        if (!progress.result.ok) write('steady state failed — nothing was injected');
        return;
      }
      case 'scenario-start':
        write('');
        write(`${paint('bold', `[${progress.index + 1}/${progress.total}] ${progress.scenario.name}`)} — ${progress.scenario.summary}`);
        return;
      case 'step':
        write(`  ${progress.text}`);
        return;
      case 'request':
        write(`  ${requestLine(progress.record)}`);
        return;
      case 'engine': {
        const event = progress.event;
        if (event.type === 'breaker') write(`    ${event.provider}: ${breakerLabel(event.from)} → ${breakerLabel(event.to)}`);
        else if (event.type === 'restart') write(`    restart: ${event.from} → ${event.to} (${describeError(event.error)}), partial output discarded`);
        else if (event.type === 'recovered') write(`    ${event.provider} recovered after ${formatMs(event.downForMs)} down`);
        return;
      }
      case 'scenario-end': {
        const { result } = progress;
        for (const check of result.checks) write(`  ${checkLine(check)}`);
        const verdict = isSkipped(result) ? paint('dim', '– skipped') : result.ok ? paint('green', '✓ pass') : paint('red', '✗ FAIL');
        write(`  ${verdict} ${result.name} (${formatMs(result.ms)})`);
        return;
      }
      case 'alerts-start':
        write('');
        write(`${paint('bold', 'alerts')} — one drill alert to each of ${progress.sinks} configured sink${progress.sinks === 1 ? '' : 's'}`);
        return;
      case 'alerts-end':
        for (const alert of progress.results) {
          write(
            alert.ok
              ? `  ${paint('green', '✓')} ${alert.sink} took the drill alert (${formatMs(alert.ms)})`
              : `  ${paint('red', '✗')} ${alert.sink} did not take the drill alert: ${alert.error ?? 'unknown error'}`,
          );
        }
        return;
    }
  };
}

/** `request 1: answered by backup in 104 ms (primary: 503 server error ×3)`. */
function requestLine(record: RequestRecord): string {
  const failures = record.attempts
    .filter((attempt) => attempt.outcome !== 'success')
    .map((attempt) => `${attempt.provider}: ${attempt.outcome === 'skipped' ? `skipped (${attempt.reason ?? 'breaker open'})` : attempt.error ? describeError(attempt.error) : 'failed'}`);
  const folded = foldRuns(failures).join(', ');
  return `${record.label}: ${describeOutcome(record)} in ${formatMs(record.endedAt - record.startedAt)}${folded ? ` (${folded})` : ''}`;
}

function checkLine(check: CheckOutcome): string {
  const mark = check.skipped ? paint('dim', '–') : check.ok ? paint('green', '✓') : paint('red', '✗');
  return `${mark} ${check.name}${check.detail ? paint('dim', ` — ${check.detail}`) : ''}`;
}
