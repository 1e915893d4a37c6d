import { breakerLabel, paint } from '../report/style.js';
import { renderTable } from '../report/table.js';
import type { InstanceView, ProbeOutcome, RoundUpdate, SyncUpdate } from './health-source.js';
import type { WatchRow } from './rows.js';
import { describeWatchEvent, type WatchEvent } from './watch-events.js';
import { formatTimeOfDay } from './wall-time.js';

/**
 * The watch without a terminal board (piped, CI): one line per state change and one summary
 * line per probe round, so `understudy watch | tee health.log` reads well.
 */

/** `14:03:07  primary ● closed → ○ open (503 server error; trial in 30 s)` */
export function eventLine(event: WatchEvent): string {
  const line = describeWatchEvent(event);
  return `${line.time}  ${line.colour ? paint(line.colour, line.text) : line.text}`;
}

/**
 * `14:03:05  round 4  primary ○ open, trial in 25 s · backup ● closed 12 ms  traffic → backup`
 */
export function roundLine(round: RoundUpdate): string {
  const outcomes = new Map(round.outcomes.map((outcome) => [outcome.provider, outcome]));
  const providers = round.rows.map((row) => `${row.name} ${breakerLabel(row.breaker)}${slowNote(row)}${roundDetail(row, outcomes.get(row.name))}`);
  const traffic = round.traffic === undefined ? paint('red', 'traffic → nowhere') : `traffic → ${round.traffic}`;
  return `${formatTimeOfDay(round.at)}  round ${round.round}  ${providers.join(' · ')}  ${traffic}`;
}

/** `, degraded (p90 5.2 s > 4 s)` in yellow for a slow provider; nothing otherwise. */
function slowNote(row: WatchRow): string {
  return row.degraded ? `, ${paint('yellow', row.degraded)}` : '';
}

function roundDetail(row: WatchRow, outcome: ProbeOutcome | undefined): string {
  const forced = row.forced ? ' [forced]' : '';
  if (outcome?.outcome === 'failure') return ` ${paint('red', outcome.error ?? 'failed')}${forced}`;
  if (outcome?.outcome === 'skipped') return `${row.trialIn ? `, trial in ${row.trialIn}` : ', skipped'}${forced}`;
  if (outcome?.outcome === 'success') return ` ${row.lastLatency}${forced}`;
  return forced;
}

/** The `--once` result: a table of every provider, then a verdict line. */
export function onceReport(round: RoundUpdate, healthy: boolean, maxWidth?: number): string {
  const outcomes = new Map(round.outcomes.map((outcome) => [outcome.provider, outcome]));
  const table = renderTable(
    ['', '#', 'provider', 'model', 'breaker', 'probe', 'latency'],
    round.rows.map((row) => {
      const outcome = outcomes.get(row.name);
      return [
        row.traffic ? '►' : '',
        String(row.index),
        row.name,
        row.model,
        `${breakerLabel(row.breaker)}${slowNote(row)}`,
        outcome?.outcome === 'failure' ? paint('red', `✗ ${outcome.error ?? 'failed'}`) : outcome?.outcome === 'skipped' ? 'skipped' : paint('green', '✓ ok'),
        outcome?.outcome === 'success' ? row.lastLatency : '—',
      ];
    }),
    { ...(maxWidth === undefined ? {} : { maxWidth }), flexible: [2, 3, 5], align: ['left', 'right', 'left', 'left', 'left', 'left', 'right'] },
  );
  const failed = round.outcomes.filter((outcome) => outcome.outcome !== 'success').map((outcome) => outcome.provider);
  const verdict = healthy
    ? paint('green', `healthy: every provider answered; traffic → ${round.traffic ?? 'nowhere'}`)
    : paint('red', `not healthy: ${failed.join(', ')} did not answer; traffic → ${round.traffic ?? 'nowhere'}`);
  return `${table}\n\n${verdict}`;
}

/**
 * An attached source's sync: `14:03:05  snapshot  primary ○ open, trial in 25 s · backup ● closed  traffic → backup`
 * (a gateway, on each (re)connect), or `fleet poll 3 …  2 instances live` (a fleet, every poll).
 */
export function syncLine(sync: SyncUpdate): string {
  const what = sync.from === 'gateway' ? 'snapshot' : `fleet poll ${sync.sync}`;
  const providers = sync.rows.length === 0 ? 'no breaker open' : sync.rows.map((row) => `${row.name} ${breakerLabel(row.breaker)}${slowNote(row)}${row.trialIn ? `, trial in ${row.trialIn}` : ''}`).join(' · ');
  const traffic = syncTraffic(sync);
  const instances = sync.instances ? `  ${instanceCount(sync.instances)}` : '';
  return `${formatTimeOfDay(sync.at)}  ${what}  ${providers}${traffic ? `  ${traffic}` : ''}${instances}`;
}

/** `--once` when attached: a table of every provider's breaker, the fleet's instances, then a verdict. */
export function onceSyncReport(sync: SyncUpdate, healthy: boolean, maxWidth?: number): string {
  const parts: string[] = [];
  if (sync.rows.length > 0) {
    parts.push(
      renderTable(
        ['', '#', 'provider', 'model', 'breaker', 'trial in', 'last', 'p50', 'p95', 'ok'],
        sync.rows.map((row) => [
          row.traffic ? '►' : '',
          String(row.index),
          row.name,
          row.model,
          `${breakerLabel(row.breaker)}${slowNote(row)}`,
          row.trialIn ?? '',
          row.lastLatency,
          row.p50,
          row.p95,
          row.successRate,
        ]),
        { ...(maxWidth === undefined ? {} : { maxWidth }), flexible: [2, 3], align: ['left', 'right', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'right'] },
      ),
    );
  }
  if (sync.instances) {
    const list = sync.instances.map((instance) => `${instance.id} (${instance.host}, pid ${instance.pid})`).join(', ');
    parts.push(`${instanceCount(sync.instances)}${list ? `: ${list}` : ''}`);
  }
  const traffic = syncTraffic(sync);
  const unhealthy = sync.rows.filter((row) => row.breaker !== 'closed').map((row) => `${row.name} ${row.breaker}${row.trialIn ? ` (trial in ${row.trialIn})` : ''}`);
  parts.push(
    healthy
      ? paint('green', `healthy: every breaker is closed${traffic ? `; ${traffic}` : ''}`)
      : paint('red', `not healthy: ${unhealthy.join(', ')}${traffic ? `; ${traffic}` : ''}`),
  );
  return parts.join('\n\n');
}

/** `traffic → backup`; nothing when the order is unknown (a fleet watched without its config). */
function syncTraffic(sync: SyncUpdate): string | undefined {
  if (!sync.trafficKnown) return undefined;
  return sync.traffic === undefined ? 'traffic → nowhere' : `traffic → ${sync.traffic}`;
}

function instanceCount(instances: readonly InstanceView[]): string {
  return `${instances.length} instance${instances.length === 1 ? '' : 's'} live`;
}
