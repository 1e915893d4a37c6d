import { useInput, useStdin } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { HealthSource } from '../../watch/health-source.js';
import { WatchBoard } from './board.js';
import { INITIAL_KEYS, pressKey, type KeyAction } from './keys.js';
import { useHealth } from './use-health.js';
import { useTerminalSize } from './use-terminal-size.js';

/** How long a key's notice stays on an attached board. */
const ATTACHED_NOTICE_MS = 5_000;

/** How the board ended: `q` or Ctrl-C. */
export type WatchEnding = 'quit' | 'interrupted';

export interface WatchAppProps {
  readonly source: HealthSource;
  readonly title: string;
  readonly onExit: (ending: WatchEnding) => void;
}

/** The live board: the source's rows and events, the keyboard, the terminal's size. */
export function WatchApp({ source, title, onExit }: WatchAppProps) {
  const snapshot = useHealth(source);
  const { width, height, repainting } = useTerminalSize();
  const [keys, setKeys] = useState(INITIAL_KEYS);
  // The handler reads the ref, not `keys`: a second key can arrive before React re-renders
  // with the first one's state (`f` then `1` typed quickly).
  const keysRef = useRef(INITIAL_KEYS);
  // A notice lasts until the next probe round ends.
  const [noticeRound, setNoticeRound] = useState(-1);
  // An attached source may not sync for hours (a gateway only on reconnect): its notices fade instead.
  const [noticeSeq, setNoticeSeq] = useState(0);
  useEffect(() => {
    if (!source.attached || noticeSeq === 0) return;
    const timer = setTimeout(() => setNoticeRound(-1), ATTACHED_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [source.attached, noticeSeq]);

  // Without a keyboard (stdin redirected) the board still runs; Ctrl-C arrives as SIGINT.
  const { isRawModeSupported } = useStdin();
  useInput((input, key) => {
    // Keys typed quickly (or pasted, or sent by tmux) arrive as one string: `f1` is `f` then `1`.
    const presses = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
    let state = keysRef.current;
    for (const press of presses) {
      const next = pressKey(state, press, key, snapshot.rows.length, source.controls !== undefined);
      const notice = next.action ? perform(next.action) : undefined;
      state = notice ? { ...next.state, notice } : next.state;
    }
    keysRef.current = state;
    setKeys(state);
    if (state.notice) {
      setNoticeRound(snapshot.round);
      setNoticeSeq((seq) => seq + 1);
    }
  }, { isActive: isRawModeSupported === true });

  /** Does what a key asked; returns a notice to show, if any. */
  function perform(action: KeyAction): string | undefined {
    if (action.type === 'quit' || action.type === 'interrupt') {
      onExit(action.type === 'quit' ? 'quit' : 'interrupted');
      return undefined;
    }
    if (action.type === 'unavailable') return source.attached ? `${action.key}: not available when attached to ${source.attached}` : 'this source is read-only';
    const controls = source.controls;
    if (!controls) return 'this source is read-only';
    if (action.type === 'probe') {
      controls.probeAll();
      return 'probing every provider now';
    }
    const row = snapshot.rows[action.row];
    if (!row) return undefined;
    if (action.type === 'force') controls.toggleForced(row.name);
    else controls.resetBreaker(row.name);
    return undefined;
  }

  if (repainting) return null;
  return (
    <WatchBoard
      title={title}
      description={source.description}
      rows={snapshot.rows}
      events={snapshot.events}
      round={snapshot.round}
      lastRoundAt={snapshot.lastRoundAt}
      selected={Math.min(keys.selected, Math.max(0, snapshot.rows.length - 1))}
      pendingForce={keys.pendingForce}
      notice={noticeRound === snapshot.round ? keys.notice : undefined}
      controls={source.controls !== undefined}
      attached={source.attached}
      link={snapshot.link}
      instances={snapshot.instances}
      width={width}
      height={height}
    />
  );
}
