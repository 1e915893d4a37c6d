import stringWidth from 'string-width';

/**
 * Measuring and cutting terminal text by what it shows, not by its length: ANSI colour codes take
 * no columns, CJK and most emoji take two.
 */

// CSI sequences (colours, cursor moves) and OSC 8 hyperlinks.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\]8;[^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Columns `text` takes in a terminal. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** `text` padded with spaces to `width` columns (unchanged if already as wide). */
export function padToWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const padding = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return align === 'left' ? text + padding : padding + text;
}

/**
 * `text` cut to at most `width` columns, ending in `…` when cut. Colour codes are all kept — also
 * those after the cut — so a cell cut inside a colour still closes it and cannot tint the rest
 * of the line.
 */
export function truncateToWidth(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  if (width <= 0) return '';
  const budget = width - 1; // one column for the ellipsis
  let used = 0;
  let cut = false;
  let result = '';
  let last = 0;
  const keepVisible = (segment: string): void => {
    for (const { segment: grapheme } of graphemes.segment(segment)) {
      const w = stringWidth(grapheme);
      if (!cut && used + w <= budget) {
        result += grapheme;
        used += w;
      } else if (!cut) {
        cut = true;
        // `connection…`, not `connection …`: a space before the ellipsis only wastes a column.
        result = `${result.trimEnd()}…`;
      }
    }
  };
  for (const match of text.matchAll(ANSI)) {
    keepVisible(text.slice(last, match.index));
    result += match[0];
    last = match.index + match[0].length;
  }
  keepVisible(text.slice(last));
  return result;
}
