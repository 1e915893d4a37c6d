import { render } from 'ink';
import type { Engine } from '../../engine/types.js';
import type { BatchStats } from '../../run/batch-stats.js';
import { BatchProgress } from './BatchProgress.js';

/** A live progress display: lines printed above it, and a way to take it down. */
export interface LiveProgress {
  notice(line: string): void;
  /** Draws the last frame and leaves it on screen. Safe to call twice. */
  stop(): void;
}

/**
 * Draws the batch progress bar on stderr (stdout carries the summary, and may be piped).
 * Imported lazily, only on a terminal: Ink and React cost half a second to load.
 */
export async function renderBatchProgress(options: { stats: BatchStats; engine: Engine }): Promise<LiveProgress> {
  const notices: string[] = [];
  const instance = render(<BatchProgress stats={options.stats} providers={() => options.engine.state()} notices={() => notices} />, {
    stdout: process.stderr,
    // Ctrl-C belongs to the batch's own two-step handler.
    exitOnCtrlC: false,
    patchConsole: false,
  });
  let stopped = false;
  return {
    notice(line) {
      notices.push(line);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      instance.rerender(<BatchProgress stats={options.stats} providers={() => options.engine.state()} notices={() => notices} />);
      instance.unmount();
    },
  };
}
