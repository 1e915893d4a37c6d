import type { Command } from 'commander';
import { runAction, withCommonOptions } from './action.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const PING_HELP = `
Checks, per provider, all in parallel, each called directly (never through failover):
  reach       the base URL's host resolves and accepts a connection (DNS, TCP, TLS told apart)
  auth        the key is accepted (GET /models, which costs nothing)
  listed      the configured model is listed (a warning, not a failure, while a completion follows)
  completion  a 1-token chat completion succeeds (--no-completion to spend nothing)
  stream      with --stream: a streamed one too, and its time to first token
A check after a failed one is skipped. A failure shows its class (retryable / provider-only /
fatal), its status and one hint.

Alert sinks in the config are checked too, without sending anything: a webhook or Slack URL's
host resolves and accepts a connection; a command sink's program exists and is executable.
Config warnings (providers sharing a host, key or vendor; a breaker threshold of 1; ...) are
listed; with --strict they are failures.

Exit: 0 every provider (or --require N of them) healthy, every alert sink reachable and, with
--strict, no config warning; 1 otherwise; 2 usage or config error. --require counts providers
only: an unreachable alert sink fails the ping regardless (skip them with --no-alerts).
Under GitHub Actions (GITHUB_ACTIONS=true), --github is on by default.`;

/** `understudy ping`: is every provider in the list usable right now, and if not, what is wrong. */
export function definePing(program: Command): void {
  withCommonOptions(
    program
      .command('ping')
      .description("smoke-test every provider's reach, key, model and a 1-token completion")
      .option('-p, --provider <name>', 'ping only this provider; repeatable', collect, [])
      .option('--require <n>', 'pass when at least N providers are healthy (default: all of them)')
      .option('--timeout <ms>', 'timeout for each check (default: the configured timeouts)')
      .option('--no-completion', 'skip the 1-token completion: spend nothing')
      .option('--stream', 'also stream a 1-token completion and time its first token')
      .option('--junit <file>', 'also write a JUnit XML report to FILE')
      .option('--github', 'GitHub Actions annotations and a step summary (default under Actions)')
      .option('--offline', 'ping the built-in mock providers instead of a config (a demo)')
      .option('--strict', 'config warnings (shared host, key or vendor; risky settings) fail the ping: for CI')
      .option('--no-alerts', 'do not check the alert sinks (e.g. on a machine that never sends alerts)'),
  )
    .addHelpText('after', PING_HELP)
    .action((options) =>
      runAction(async () => {
        // Lazy: the SDK and the checks load only when ping runs, so `--help` stays fast.
        const { runPing } = await import('../health/command.js');
        return runPing(options);
      }),
    );
}
