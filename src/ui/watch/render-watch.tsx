import { render } from 'ink';
import type { HealthSource } from '../../watch/health-source.js';
import { WatchApp, type WatchEnding } from './watch-app.js';

/** The alternate screen: the board takes the whole terminal and leaves the scrollback as it was. */
const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

export interface RenderWatchOptions {
  readonly title: string;
  /** Aborted by SIGINT/SIGTERM from outside (inside the board, Ctrl-C is a key press). */
  readonly signal: AbortSignal;
}

/**
 * Shows the board until `q` (resolves `quit`) or Ctrl-C (resolves `interrupted`), then unmounts
 * Ink and gives the terminal back as it was. Lazily imported: only an interactive run loads Ink.
 */
export async function renderWatch(source: HealthSource, options: RenderWatchOptions): Promise<WatchEnding> {
  const stdout = process.stdout;
  stdout.write(ENTER_ALT_SCREEN);
  let ending: WatchEnding | undefined;
  const finish = (how: WatchEnding) => {
    if (ending) return;
    ending = how;
    instance.unmount();
  };
  const instance = render(<WatchApp source={source} title={options.title} onExit={finish} />, {
    // Raw mode turns Ctrl-C into a key press; the app handles it so cleanup runs first.
    exitOnCtrlC: false,
    patchConsole: false,
    incrementalRendering: false,
  });
  // The probe timers are unref'd and stdin may not be a terminal: hold the process open ourselves.
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
  const onAbort = () => finish('interrupted');
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await instance.waitUntilExit();
  } finally {
    clearInterval(keepAlive);
    options.signal.removeEventListener('abort', onAbort);
    stdout.write(LEAVE_ALT_SCREEN);
  }
  return ending ?? 'quit';
}
