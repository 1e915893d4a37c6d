import { Box, Text } from 'ink';
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
  const eventRoom = Math.max(0, Math.min(MAX_EVENTS, height - 1 - CHROME_LINES - rows.length));
  const lines = props.events.slice(-eventRoom).map(describeWatchEvent);
  const lastRound = props.lastRoundAt === undefined ? 'first round running…' : `round ${props.round} at ${formatTimeOfDay(props.lastRoundAt)}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold>understudy watch</Text>
        <Text dimColor>
          {' '}
          · {props.description} · {lastRound} · {props.title}
        </Text>
      </Text>
      <Text> </Text>
      <ProviderTable rows={rows} columns={columns} selected={selected} />
      <Detail row={rows[selected]} />
      <Text> </Text>
      {eventRoom > 0 ? <EventList lines={lines} width={width} /> : null}
      <Footer pendingForce={props.pendingForce ?? false} providerCount={rows.length} notice={props.notice} controls={props.controls ?? true} />
    </Box>
  );
}

/** One line about the selected provider: its model, why it fails, whether it is forced. */
function Detail({ row }: { row: WatchRow | undefined }) {
  if (!row) return <Text> </Text>;
  const parts = [row.model, `${row.samples} probe${row.samples === 1 ? '' : 's'} in window`];
  if (row.lastError) parts.push(`${row.consecutiveFailures} failing: ${row.lastError}${row.lastErrorMessage ? ` (${row.lastErrorMessage})` : ''}`);
  if (row.forced) parts.push('forced to fail: f then its number restores it');
  return (
    <Text wrap="truncate-end" dimColor>
      {'  '}› {row.name}: {parts.join(' · ')}
    </Text>
  );
}
