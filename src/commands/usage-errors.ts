import type { Command, CommanderError } from 'commander';
import { ExitCode, UsageError } from '../terminal/exit-codes.js';
import { reportError } from './action.js';

/** Commander's codes for `--help` and `--version`: not errors. */
const NOT_ERRORS = new Set(['commander.helpDisplayed', 'commander.version']);
/** Help printed because something was missing (no command given): it says enough already. */
const HELP_AS_ERROR = 'commander.help';

/**
 * Routes commander's own usage errors (unknown option, missing argument, unknown command) through
 * the writer every other usage error uses: `understudy: …`, a next step naming the command's
 * help, exit 2, no stack. Applied to `command` and every command under it, each with its own
 * name in the next step.
 */
export function routeUsageErrors(command: Command): void {
  command.configureOutput({ outputError: () => {} });
  command.exitOverride((error: CommanderError) => {
    if (NOT_ERRORS.has(error.code)) process.exit(ExitCode.ok);
    if (error.code === HELP_AS_ERROR) process.exit(ExitCode.usage);
    process.exit(reportError(new UsageError(describeCommanderError(error.message), `see ${commandPath(command)} --help`)));
  });
  for (const child of command.commands) routeUsageErrors(child);
}

/** `error: unknown option '--jsn'\n(Did you mean --json?)` → `unknown option '--jsn' (did you mean --json?)`. */
export function describeCommanderError(message: string): string {
  return message
    .replace(/^error: /, '')
    .replace(/\s*\(Did you mean (.+)\)\s*$/s, ' (did you mean $1)')
    .trim();
}

/** `understudy ping`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}
