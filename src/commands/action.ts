import type { Command } from 'commander';
import { ExitCode, UsageError } from '../terminal/exit-codes.js';
import { ConfigError } from '../config/normalize.js';

/** The options every command shares. */
export interface CommonOptions {
  config?: string;
  json?: boolean;
  color?: boolean;
}

export function withCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <path>', 'config file (default: searched from the current directory up)')
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('--color', 'colour even when stdout is not a terminal')
    .option('--no-color', 'no colour (also NO_COLOR, TERM=dumb, or when stdout is not a terminal)');
}

/** `--otel`, for the commands that run the engine on real traffic (run, serve, drill). */
export const OTEL_OPTION = [
  '--otel',
  'export OpenTelemetry traces and metrics over OTLP/HTTP (to OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4318; also on when that is set)',
] as const;

/**
 * Runs a command body and turns its outcome into an exit code. User-fixable errors print one
 * clear message (and a next step) without a stack; anything else is a bug and says so.
 */
export async function runAction(body: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await body();
  } catch (error) {
    code = reportError(error);
  }
  // Let stdout drain before exiting so a piped --json document is never cut.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

export function reportError(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`understudy: ${error.message}\n`);
    return ExitCode.usage;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`understudy: ${error.message}\n${error.tryThis ? `  try: ${error.tryThis}\n` : ''}`);
    return ExitCode.usage;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`understudy: internal error (a bug; please report it with this output):\n${detail}\n`);
  return ExitCode.problem;
}
