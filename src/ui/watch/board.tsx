import { Box, Text } from 'ink';
import type { InstanceView, LinkStatus } from '../../watch/health-source.js';
import { describeInstances, describeLink } from '../../watch/link-view.js';
import type { WatchRow } from '../../watch/rows.js';
import { formatTimeOfDay } from '../../watch/wall-time.js';
import { describeWatchEvent, type WatchEvent } from '../../watch/watch-events.js';
import { EventList } from './event-list.js';
import { Footer } from './footer.js';
import { boardColumns } from './layout.js';
import { ProviderTable } from './provider-table.js';

/** Everything the board shows, as plain data: tests render frames from fixed props. */
export interface WatchBoardProps {
  /** What is watched (`offline demo`, the config file). */
  readonly title: string;
  /** How it is watched (`probe GET /models every 5 s`). */
  readonly description: string;
  readonly rows: readonly WatchRow[];
  readonly events: readonly WatchEvent[];
  readonly round: number;
  /** Wall-clock ms of the last round. */
  readonly lastRoundAt?: number | undefined;
  /** 0-based selected row. */
  readonly selected: number;
  /** `f` was pressed and a number is awaited. */
  readonly pendingForce?: boolean;
  readonly notice?: string | undefined;
  /** Whether p, f and r work (a read-only source has no controls). */
  readonly controls?: boolean;
  /** What an attached source watches; the header then says "attached to …" and shows the link. */
  readonly attached?: string | undefined;
  readonly link?: LinkStatus | undefined;
  /** A fleet's live instances: a line under the header. */
  readonly instances?: readonly InstanceView[] | undefined;
  /** Wall-clock now, for the link's retry countdown (tests pin it). */
  readonly now?: number;
  /** Terminal size. */
  readonly width: number;
  readonly height: number;
}

/** Most events shown; fewer on a short terminal. */
const MAX_EVENTS = 8;
/** Lines the board uses besides the rows and the events: title, blanks, table header, detail, events header, footer. */
const CHROME_LINES = 8;

/** The watch board: title, provider table, the selected provider's details, latest events, keys. */
export function WatchBoard(props: WatchBoardProps) {
  const { rows, width, height, selected } = props;
  const columns = boardColumns(width, rows);
  // Ink clears the whole screen on every frame once the output is as tall as the terminal:
  // staying a line short of it keeps redraws flicker-free.
  const instanceLines = props.instances ? 1 : 0;
  const eventRoom = Math.max(0, Math.min(MAX_EVENTS, height - 1 - CHROME_LINES - instanceLines - rows.length));
  const lines = props.events.slice(-eventRoom).map(describeWatchEvent);
  return (
    <Box flexDirection="column" width={width}>
      {props.attached === undefined ? <ProbeHeader {...props} /> : <AttachedHeader {...props} attached={props.attached} />}
      {props.instances ? (
        <Text wrap="truncate-end" dimColor>
          {'  '}
          {describeInstances(props.instances)}
        </Text>
      ) : null}
      <Text> </Text>
      <ProviderTable rows={rows} columns={columns} selected={selected} />
      <Detail row={rows[selected]} attached={props.attached !== undefined} />
      <Text> </Text>
      {eventRoom > 0 ? <EventList lines={lines} width={width} /> : null}
      <Footer pendingForce={props.pendingForce ?? false} providerCount={rows.length} notice={props.notice} controls={props.controls ?? true} attached={props.attached !== undefined} />
    </Box>
  );
}

/** `understudy watch · traffic → primary · round 3 at 14:03:07 · probe GET /models every 5 s · file`: what an incident needs first comes first, the rest may be cut. */
function ProbeHeader(props: WatchBoardProps) {
  const lastRound = props.lastRoundAt === undefined ? 'first round running…' : `round ${props.round} at ${formatTimeOfDay(props.lastRoundAt)}`;
  return (
    <Text wrap="truncate-end">
      <Text bold>understudy watch</Text>
      <Traffic rows={props.rows} />
      <Text dimColor>
        {' '}
        · {lastRound} · {props.description} · {props.title}
      </Text>
    </Text>
  );
}

/**
 * ` · traffic → backup`: where a request sent now would go, in the words of the event list and
 * the plain output. Nothing when no row carries traffic (every breaker open, or a fleet watched
 * without its config, whose order is unknown): the rows say which.
 */
function Traffic({ rows }: { rows: readonly WatchRow[] }) {
  const target = rows.find((row) => row.traffic);
  if (!target) return null;
  return (
    <Text>
      {' · traffic → '}
      <Text color="green">{target.name}</Text>
    </Text>
  );
}

/** `understudy watch · attached to http://127.0.0.1:4141 · ● connected · live events from GET /events`. */
function AttachedHeader(props: WatchBoardProps & { attached: string }) {
  const link = props.link ? describeLink(props.link, props.now ?? Date.now()) : undefined;
  return (
    <Text wrap="truncate-end">
      <Text bold>understudy watch</Text>
      <Text> · attached to {props.attached}</Text>
      {link ? (
        <Text>
          {' · '}
          <Text color={link.colour}>{link.text}</Text>
        </Text>
      ) : null}
      <Traffic rows={props.rows} />
      <Text dimColor>
        {' '}
        · {props.description}
        {props.lastRoundAt === undefined ? '' : ` · synced ${formatTimeOfDay(props.lastRoundAt)}`}
      </Text>
    </Text>
  );
}

/** One line about the selected provider: its model, why it fails, whether it is forced. */
function Detail({ row, attached }: { row: WatchRow | undefined; attached: boolean }) {
  if (!row) return <Text> </Text>;
  // Attached to a gateway, the samples are its real requests; a fleet's keys carry none.
  const sampled = row.noFigures ? 'no latency in the fleet\'s keys' : `${row.samples} ${attached ? 'request' : 'probe'}${row.samples === 1 ? '' : 's'} in window`;
  const parts = [row.model, sampled];
  if (row.lastError) parts.push(`${row.consecutiveFailures} failing: ${row.lastError}${row.lastErrorMessage ? ` (${row.lastErrorMessage})` : ''}`);
  if (row.forced) parts.push('forced to fail: f then its number restores it');
  return (
    <Text wrap="truncate-end" dimColor>
      {'  '}› {row.name}: {parts.join(' · ')}
    </Text>
  );
}
