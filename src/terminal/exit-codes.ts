/** The exit codes users script against; documented in the README and `--help`. */
export const ExitCode = {
  ok: 0,
  /** A check or drill found a problem. */
  problem: 1,
  /** Bad usage or config. */
  usage: 2,
  /** Every provider failed (run). */
  allFailed: 3,
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const exitCodeHelp = `
Exit codes:
  0    all good
  1    a check or drill found a problem
  2    usage or config error
  3    every provider failed (run)
  130  interrupted (Ctrl-C)`;

/** A mistake the user can fix; printed without a stack, exit 2, with an optional next step. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly tryThis?: string,
  ) {
    super(message);
  }
}
