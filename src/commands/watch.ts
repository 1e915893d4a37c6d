import type { Command } from 'commander';
import { runAction, withCommonOptions } from './action.js';
import type { WatchOptions } from '../watch/options.js';

const WATCH_HELP = `
On a terminal: a live board, one row per provider in failover order (► marks where traffic
would go now). Keys: q quit, p probe all now, f then a number force that provider to fail (again
to restore), r reset the selected provider's breaker, ↑/↓ select.
Piped or in CI: one line per state change and per probe round (--json: one JSON object per line).

Exit codes: 0 quit with q, or --once and every provider answered; 1 --once and a provider did
not answer; 2 usage or config error; 130 interrupted (Ctrl-C).`;

/** `understudy watch`: a live board of provider health and breaker states. */
export function defineWatch(program: Command): void {
  withCommonOptions(
    program
      .command('watch')
      .description('a live board of provider health and breaker states, probed on an interval')
      .option('--interval <ms>', 'milliseconds between probe rounds (default: 5000; 2000 with --offline)')
      .option('--completion', 'probe with a 1-token completion instead of GET /models (costs tokens, proves more)')
      .option('--once', 'one probe round, print it, exit 0 if every provider answered, 1 if not')
      .option('--offline', 'watch two built-in mock providers (a demo: try f then 1)'),
  )
    .addHelpText('after', WATCH_HELP)
    .action((options: WatchOptions) =>
      runAction(async () => {
        // Lazily: the engine, the SDK and (on a terminal) Ink load only when watch runs.
        const { runWatch } = await import('../watch/run-watch.js');
        return runWatch(options);
      }),
    );
}
