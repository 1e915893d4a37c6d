/**
 * The board's key bindings as a pure function, so they are tested without a terminal:
 * q quit, Ctrl-C interrupt, p probe all now, f then a number force that provider to fail (again
 * to restore; Enter takes the selected row), r reset the selected breaker, ↑/↓ (or k/j) select.
 */

/** What the keys remember between presses. */
export interface KeyState {
  readonly selected: number;
  /** `f` was pressed; a number is awaited. */
  readonly pendingForce: boolean;
  readonly notice?: string;
}

/** The subset of Ink's `Key` the bindings read. */
export interface KeyInfo {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
}

export type KeyAction =
  | { readonly type: 'quit' }
  | { readonly type: 'interrupt' }
  | { readonly type: 'probe' }
  /** 0-based row. */
  | { readonly type: 'force'; readonly row: number }
  | { readonly type: 'reset'; readonly row: number }
  /** p, f or r on a source without controls (an attached one): say so, do nothing. */
  | { readonly type: 'unavailable'; readonly key: string };

export const INITIAL_KEYS: KeyState = { selected: 0, pendingForce: false };

/**
 * The next key state, and what to do, for one key press on a board of `rowCount` rows. Without
 * `controls`, p, f and r do nothing but report themselves unavailable (f never waits for a number).
 */
export function pressKey(state: KeyState, input: string, key: KeyInfo, rowCount: number, controls = true): { state: KeyState; action?: KeyAction } {
  const base: KeyState = { selected: Math.min(state.selected, Math.max(0, rowCount - 1)), pendingForce: false };
  if (key.ctrl && input === 'c') return { state: base, action: { type: 'interrupt' } };
  if (!controls && !key.ctrl && (input === 'p' || input === 'f' || input === 'r')) return { state: base, action: { type: 'unavailable', key: input } };
  if (state.pendingForce) {
    if (key.return) return { state: base, action: { type: 'force', row: base.selected } };
    if (/^[1-9]$/.test(input)) {
      const row = Number(input) - 1;
      return row < rowCount ? { state: base, action: { type: 'force', row } } : { state: { ...base, notice: `no provider ${input}` } };
    }
    // Esc or anything else cancels, so a stray key never forces something.
    return { state: base };
  }
  if (input === 'q') return { state: base, action: { type: 'quit' } };
  if (input === 'p') return { state: base, action: { type: 'probe' } };
  if (input === 'f') return { state: { ...base, pendingForce: true } };
  if (input === 'r') return rowCount > 0 ? { state: base, action: { type: 'reset', row: base.selected } } : { state: base };
  if (key.upArrow || input === 'k') return { state: { ...base, selected: Math.max(0, base.selected - 1) } };
  if (key.downArrow || input === 'j') return { state: { ...base, selected: Math.min(Math.max(0, rowCount - 1), base.selected + 1) } };
  return { state: base };
}
