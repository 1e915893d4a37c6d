import chalk from 'chalk';
import type { BreakerState } from '../engine/types.js';
import { breakerView } from './view-model.js';

/**
 * The one place plain-text output gets colour. chalk decides whether to emit codes from
 * FORCE_COLOR, which the CLI sets before chalk loads (see commands/colour.ts), so nothing here
 * checks NO_COLOR or TTYs again.
 */

/** The colours and weights plain-text output may use. */
export type Paint = 'green' | 'yellow' | 'red' | 'dim' | 'bold';

/** `text` in `colour`, or unchanged when colour is off. */
export function paint(colour: Paint, text: string): string {
  return chalk[colour](text);
}

/** `● closed` / `◐ half-open` / `○ open`, coloured: the glyph and word still read without colour. */
export function breakerLabel(state: BreakerState): string {
  const view = breakerView(state);
  return paint(view.colour, `${view.glyph} ${view.word}`);
}
