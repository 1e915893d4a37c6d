/**
 * A drill that cannot run as configured (one provider only, an invalid task); the CLI turns it
 * into exit 2 with `hint` as the next step to try.
 */
export class DrillSetupError extends Error {
  override readonly name = 'DrillSetupError';
  constructor(
    message: string,
    /** What to do about it. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

