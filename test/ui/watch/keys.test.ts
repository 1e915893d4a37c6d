import { describe, expect, it } from 'vitest';
import { INITIAL_KEYS, pressKey } from '../../../src/ui/watch/keys.js';

const press = (input: string, key = {}, state = INITIAL_KEYS, rows = 3) => pressKey(state, input, key, rows);

describe('watch key bindings', () => {
  it('q quits, Ctrl-C interrupts, p probes all now', () => {
    expect(press('q').action).toEqual({ type: 'quit' });
    expect(press('c', { ctrl: true }).action).toEqual({ type: 'interrupt' });
    expect(press('p').action).toEqual({ type: 'probe' });
  });

  it('f then a number forces that provider (1-based)', () => {
    const armed = press('f');
    expect(armed.state.pendingForce).toBe(true);
    expect(armed.action).toBeUndefined();
    expect(press('2', {}, armed.state)).toEqual({ state: { selected: 0, pendingForce: false }, action: { type: 'force', row: 1 } });
  });

  it('f then Enter forces the selected provider; Esc or another key cancels', () => {
    const selected = { selected: 2, pendingForce: true };
    expect(press('', { return: true }, selected).action).toEqual({ type: 'force', row: 2 });
    expect(press('', { escape: true }, selected)).toEqual({ state: { selected: 2, pendingForce: false } });
    expect(press('q', {}, selected).action).toBeUndefined();
  });

  it('f then a number past the last provider forces nothing and says so', () => {
    const result = press('7', {}, { selected: 0, pendingForce: true });
    expect(result.action).toBeUndefined();
    expect(result.state.notice).toBe('no provider 7');
  });

  it('arrows (or k/j) move the selection within the rows; r resets the selected breaker', () => {
    let state = INITIAL_KEYS;
    for (const key of [{ downArrow: true }, { downArrow: true }, { downArrow: true }]) state = press('', key, state).state;
    expect(state.selected).toBe(2);
    state = press('k', {}, state).state;
    expect(state.selected).toBe(1);
    expect(press('r', {}, state).action).toEqual({ type: 'reset', row: 1 });
    state = press('', { upArrow: true }, press('', { upArrow: true }, state).state).state;
    expect(state.selected).toBe(0);
  });
});
