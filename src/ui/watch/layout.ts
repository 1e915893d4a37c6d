import type { WatchRow } from '../../watch/rows.js';

/**
 * Which columns the board shows and how wide each is (0: hidden), for a terminal `width`
 * columns wide. Each width includes one column of gap after the cell.
 */
export interface BoardColumns {
  readonly marker: number;
  readonly index: number;
  readonly name: number;
  readonly model: number;
  readonly breaker: number;
  readonly trial: number;
  readonly last: number;
  readonly p50: number;
  readonly p95: number;
  readonly ok: number;
  readonly spark: number;
  readonly failures: number;
}

// What an incident needs first is always shown: who, breaker state, when it re-tests.
const ALWAYS = { marker: 2, index: 2, breaker: 12, trial: 9 } as const;
const NAME_MIN = 9;
const NAME_MAX = 18;
const MODEL_MAX = 24;
const SPARK_MIN = 8;
const SPARK_MAX = 30;
/** Optional fixed-width columns, most useful first: on a narrow terminal the last ones go. */
const OPTIONAL: readonly (readonly ['last' | 'ok' | 'failures' | 'p95' | 'p50', number])[] = [
  ['last', 8],
  ['ok', 5],
  ['failures', 4],
  ['p95', 8],
  ['p50', 8],
];

/**
 * The column widths for `rows` on a terminal `width` columns wide, never wider than it. On 80
 * columns everything but the model shows (the detail line under the table names it); the
 * sparkline and the model take what is left on wider terminals.
 */
export function boardColumns(width: number, rows: readonly WatchRow[]): BoardColumns {
  // One column spare: a line exactly as wide as the terminal wraps on some terminals.
  let room = width - 1 - Object.values(ALWAYS).reduce((sum, columnWidth) => sum + columnWidth, 0);
  const longest = (texts: readonly string[]) => Math.max(0, ...texts.map((text) => text.length)) + 1;
  const wantedName = Math.min(NAME_MAX, Math.max(NAME_MIN, longest(rows.map((row) => row.name))));
  const name = Math.max(NAME_MIN, Math.min(wantedName, room));
  room -= name;
  const optional = { last: 0, ok: 0, failures: 0, p95: 0, p50: 0 };
  for (const [column, columnWidth] of OPTIONAL) {
    if (room < columnWidth) break;
    optional[column] = columnWidth;
    room -= columnWidth;
  }
  let spark = room >= SPARK_MIN ? SPARK_MIN : 0;
  room -= spark;
  const wantedModel = Math.min(MODEL_MAX, longest(rows.map((row) => row.model)));
  const model = room >= NAME_MIN ? Math.min(wantedModel, room) : 0;
  room -= model;
  if (spark > 0) spark += Math.max(0, Math.min(SPARK_MAX - spark, room));
  return { ...ALWAYS, name, model, spark, ...optional };
}
