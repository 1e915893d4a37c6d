import { Box, Text } from 'ink';
import { formatMs } from '../../report/view-model.js';
import { rowSparkline, type WatchRow } from '../../watch/rows.js';
import type { BoardColumns } from './layout.js';

/** Props of the provider table: rows from the view model, laid out by `boardColumns`. */
export interface ProviderTableProps {
  readonly rows: readonly WatchRow[];
  readonly columns: BoardColumns;
  /** Index (0-based) of the selected row. */
  readonly selected: number;
}

/**
 * One row per provider in failover order. ► marks the selected row, the one the detail line
 * describes and `r` or Enter act on: it reads without colour, and it stays where the user put
 * it while traffic moves. Where traffic goes shows as the name in bold green and in the title.
 */
export function ProviderTable({ rows, columns, selected }: ProviderTableProps) {
  return (
    <Box flexDirection="column">
      <Box>
        <Cell width={columns.marker} text="" />
        <Cell width={columns.index} text="#" dim />
        <Cell width={columns.name} text="provider" dim />
        {columns.model > 0 ? <Cell width={columns.model} text="model" dim /> : null}
        <Cell width={columns.breaker} text="breaker" dim />
        <Cell width={columns.trial} text="trial in" dim />
        {columns.last > 0 ? <Cell width={columns.last} text="last" dim right /> : null}
        {columns.p50 > 0 ? <Cell width={columns.p50} text="p50" dim right /> : null}
        {columns.p95 > 0 ? <Cell width={columns.p95} text="p95" dim right /> : null}
        {columns.ok > 0 ? <Cell width={columns.ok} text="ok" dim right /> : null}
        {columns.spark > 0 ? <Cell width={columns.spark} text=" latency" dim /> : null}
        {columns.failures > 0 ? <Cell width={columns.failures} text="✗" dim right /> : null}
      </Box>
      {rows.map((row, position) => (
        <ProviderRow key={row.name} row={row} columns={columns} selected={position === selected} />
      ))}
    </Box>
  );
}

function ProviderRow({ row, columns, selected }: { row: WatchRow; columns: BoardColumns; selected: boolean }) {
  return (
    <Box>
      <Cell width={columns.marker} text={selected ? '►' : ''} bold />
      <Cell width={columns.index} text={String(row.index)} inverse={selected} />
      <Cell width={columns.name} text={row.name} inverse={selected} bold={row.traffic} colour={row.traffic ? 'green' : undefined} />
      {columns.model > 0 ? <Cell width={columns.model} text={row.model} dim /> : null}
      <Cell width={columns.breaker} text={`${row.view.glyph} ${row.view.word}`} colour={row.view.colour} />
      <Cell width={columns.trial} text={row.trialIn ?? (row.forced ? 'forced' : slowFigure(row))} colour={row.trialIn ? 'red' : 'yellow'} />
      {columns.last > 0 ? <Cell width={columns.last} text={row.lastLatency} right /> : null}
      {columns.p50 > 0 ? <Cell width={columns.p50} text={row.p50} right /> : null}
      {columns.p95 > 0 ? <Cell width={columns.p95} text={row.p95} right /> : null}
      {columns.ok > 0 ? <Cell width={columns.ok} text={row.successRate} right colour={okColour(row.successRatio)} /> : null}
      {columns.spark > 0 ? <Cell width={columns.spark} text={` ${rowSparkline(row, columns.spark - 2)}`} colour="cyan" /> : null}
      {columns.failures > 0 ? (
        <Cell
          width={columns.failures}
          text={row.noFigures ? '—' : String(row.consecutiveFailures)}
          right
          colour={row.consecutiveFailures > 0 ? 'red' : undefined}
          dim={row.consecutiveFailures === 0}
        />
      ) : null}
    </Box>
  );
}

/** A degraded row's p90 where an open one shows its countdown, narrow enough for that column: `p90 5.2s`. */
function slowFigure(row: WatchRow): string {
  return row.degradedFigure ? `p90 ${formatMs(row.degradedFigure.p90Ms).replace(' ', '')}` : '';
}

function okColour(ratio: number | undefined): 'green' | 'yellow' | 'red' | undefined {
  if (ratio === undefined) return undefined;
  return ratio >= 0.99 ? 'green' : ratio >= 0.9 ? 'yellow' : 'red';
}

interface CellProps {
  readonly width: number;
  readonly text: string;
  readonly colour?: string | undefined;
  readonly right?: boolean;
  readonly dim?: boolean;
  readonly bold?: boolean;
  readonly inverse?: boolean;
}

/** A fixed-width cell; text that does not fit is cut with `…`, so a row never wraps. */
function Cell({ width, text, colour, right = false, dim = false, bold = false, inverse = false }: CellProps) {
  // The last character of each cell is the gap to the next, so `right` pads one short.
  const inner = Math.max(0, width - 1);
  return (
    <Box width={width} flexShrink={0}>
      <Box width={inner} justifyContent={right ? 'flex-end' : 'flex-start'}>
        <Text wrap="truncate-end" {...(colour ? { color: colour } : {})} dimColor={dim} bold={bold} inverse={inverse}>
          {text}
        </Text>
      </Box>
    </Box>
  );
}
