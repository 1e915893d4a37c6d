import type { Command } from 'commander';
import { OTEL_OPTION, runAction, withCommonOptions } from './action.js';
import type { DrillCommandOptions } from '../drill/run-command.js';


/** Commander's reducer for a repeatable option. */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `understudy drill`: break the primary on purpose and prove failover, no failover on a bug, and recovery. */
export function defineDrill(program: Command): void {
  withCommonOptions(
    program
      .command('drill')
      .description('break the primary on purpose and prove the engine fails over, does not fail over on a bug, and comes back')
      .option('--offline', 'drill built-in mock providers on 127.0.0.1 instead of the config\'s (no keys, no network)')
      .option('-s, --scenario <name>', 'run only this scenario; repeatable (see --list)', collect)
      .option('--require <name>', 'only these scenarios (with steady state and alert sinks) decide the exit code; repeatable; others are reported', collect)
      .option('--list', 'list the scenarios, one line each, and exit')
      .option('--cooldown-ms <ms>', 'breaker cool-down during the drill (default 600)')
      .option('--timeout-ms <ms>', "the primary's timeouts in the timeout scenarios (default 500)")
      .option('--junit <file>', 'also write a JUnit XML report (each scenario a suite of checks)')
      .option('--history <file>', "append this run's verdicts and timings to a JSON-lines file (see understudy report)")
      .option('--github', 'GitHub Actions annotations and step summary (automatic when GITHUB_ACTIONS=true)')
      .option('--no-alerts', 'send no drill alert to the configured alert sinks')
      .option(...OTEL_OPTION),
  )
    .addHelpText(
      'after',
      '\nSteady state first: every provider must answer, or nothing is injected and the drill fails (exit 1).\n' +
        'Faults are injected into the primary only (a proxy on 127.0.0.1, or its config in memory); the config file is never changed.\n' +
        "With drill.tasks in the config, the tasks scenario sends each task to every provider directly and checks each answer.\n" +
        'Then each configured alert sink gets one alert marked as a drill; a sink that cannot be reached fails the drill.\n' +
        'Exit 0 when every scenario (every --require one, if given) passes, 1 when any fails or an alert sink cannot be reached, 2 on a usage or config error, 130 when interrupted.\n',
    )
    .action((options: DrillCommandOptions) =>
      runAction(async () => {
        // Lazy: the drill pulls in the engine and the OpenAI SDK, which `understudy --help` must not pay for.
        const { drillCommand } = await import('../drill/run-command.js');
        return drillCommand(options);
      }),
    );
}
