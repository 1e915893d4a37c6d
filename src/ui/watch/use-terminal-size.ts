import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Clear the screen and its scrollback, cursor home: the board owns the (alternate) screen. */
const CLEAR_SCREEN = '\u001B[2J\u001B[3J\u001B[H';
/** Long enough for Ink (30 frames a second at most) to draw the blank frame on its own. */
const REPAINT_DELAY_MS = 50;

export interface TerminalSize {
  readonly width: number;
  readonly height: number;
  /** True for one blank frame after a resize, while the screen is repainted from scratch. */
  readonly repainting: boolean;
}

/**
 * The terminal's size, updated on resize. A resize reflows what is on screen, so Ink's own
 * line-by-line erase misses rows and leaves debris: the screen is cleared and the board drawn
 * again from scratch, via one blank frame (Ink skips a frame identical to the last one it drew).
 */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  const [repainting, setRepainting] = useState(false);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const onResize = () => {
      stdout.write(CLEAR_SCREEN);
      setSize(sizeOf(stdout));
      setRepainting(true);
      clearTimeout(timer);
      timer = setTimeout(() => setRepainting(false), REPAINT_DELAY_MS);
    };
    stdout.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return { ...size, repainting };
}

function sizeOf(stdout: NodeJS.WriteStream): { width: number; height: number } {
  return { width: stdout.columns || 80, height: stdout.rows || 24 };
}
