import { displayWidth, padToWidth, truncateToWidth } from './text-width.js';

/** Options for `renderTable`. */
export interface TableOptions {
  /** Widest the table may be, in columns (e.g. `process.stdout.columns`); no limit if unset. */
  maxWidth?: number;
  /** Indexes of the columns that may be truncated to fit `maxWidth`; all of them if unset. */
  flexible?: readonly number[];
  /** Per-column alignment; `right` suits numbers such as latencies. Left if unset. */
  align?: readonly ('left' | 'right')[];
}

/** Space between columns. */
const GAP = '  ';
/** A truncated column keeps at least this many columns, so `…` still has some text before it. */
const MIN_COLUMN_WIDTH = 4;

/**
 * A plain-text table for terminals and logs: a header line, then one line per row, columns
 * separated by two spaces. Widths are measured as displayed (ANSI colour codes take no room), so
 * coloured cells align. When `maxWidth` would be exceeded the widest flexible column is narrowed,
 * one column at a time, and its cells cut with `…`. No line ends in spaces. No trailing newline.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const columns = Math.max(headers.length, ...rows.map((row) => row.length));
  // One line per row: a newline inside a cell would break every column after it.
  const lines = [headers, ...rows].map((row) => Array.from({ length: columns }, (_, i) => (row[i] ?? '').replace(/\r?\n/g, ' ')));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...lines.map((line) => displayWidth(line[i] ?? ''))));
  if (options.maxWidth !== undefined) fitWidths(widths, options.maxWidth, options.flexible);

  return lines
    .map((cells) =>
      cells
        .map((cell, i) => {
          const width = widths[i] ?? 0;
          const fitted = truncateToWidth(cell, width);
          const align = options.align?.[i] ?? 'left';
          // The last left-aligned column is not padded: there is nothing after it to align.
          return i === columns - 1 && align === 'left' ? fitted : padToWidth(fitted, width, align);
        })
        .join(GAP)
        .trimEnd(),
    )
    .join('\n');
}

/** Narrows the widest flexible column, one column at a time, until the table fits (or cannot shrink). */
function fitWidths(widths: number[], maxWidth: number, flexible: readonly number[] = widths.map((_, i) => i)): void {
  let total = widths.reduce((sum, width) => sum + width, 0) + GAP.length * Math.max(0, widths.length - 1);
  while (total > maxWidth) {
    let widest = -1;
    for (const i of flexible) {
      const width = widths[i];
      if (width !== undefined && width > MIN_COLUMN_WIDTH && (widest < 0 || width > (widths[widest] ?? 0))) widest = i;
    }
    if (widest < 0) return; // every flexible column is as narrow as it may be
    widths[widest] = (widths[widest] ?? 0) - 1;
    total -= 1;
  }
}
