import type { Command } from 'commander';
import { runAction, withCommonOptions } from './action.js';
import type { WatchOptions } from '../watch/options.js';

const WATCH_HELP = `
On a terminal: a live board, one row per provider in failover order (► marks where traffic
would go now). Keys: q quit, p probe all now, f then a number force that provider to fail (again
to restore), r reset the selected provider's breaker, ↑/↓ select.
Piped or in CI: one line per state change and per probe round (--json: one JSON object per line).

--attach watches something already running instead of probing from here:
  --attach http://127.0.0.1:4141   a gateway (understudy serve): its own breakers and the latency
                                   of its real traffic, live from GET /events; reconnects when the
                                   stream drops. A gateway with serve.tokens reads the token from
                                   UNDERSTUDY_GATEWAY_TOKEN.
  --attach redis://host:6379/0     a fleet: open breakers and live instances from the shared keys,
                                   polled every --interval (no latency figures). --prefix picks the
                                   fleet (default: the config's state.prefix, else "understudy");
                                   --config adds every provider in failover order with its model.
  Attached, p, f and r are not available; --once exits 0 when every breaker is closed.

Exit codes: 0 quit with q, or --once and every provider answered (attached: every breaker
closed); 1 --once and a provider did not answer (attached: a breaker is not closed, or the target
is unreachable); 2 usage or config error; 130 interrupted (Ctrl-C).`;

/** `understudy watch`: a live board of provider health and breaker states. */
export function defineWatch(program: Command): void {
  withCommonOptions(
    program
      .command('watch')
      .description('a live board of provider health and breaker states, probed on an interval')
      .option('--interval <ms>', 'milliseconds between probe rounds or fleet polls (default: 5000; 2000 with --offline)')
      .option('--completion', 'probe with a 1-token completion instead of GET /models (costs tokens, proves more)')
      .option('--once', 'one probe round, print it, exit 0 if every provider answered, 1 if not')
      .option('--offline', 'watch two built-in mock providers (a demo: try f then 1)')
      .option('--attach <url>', 'watch a running gateway (http://…) or a fleet in Redis (redis://…) instead of probing')
      .option('--prefix <prefix>', 'with --attach redis://…: the fleet\'s key prefix (default: config state.prefix, else understudy)'),
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
