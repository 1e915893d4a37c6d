/**
 * Decides colour before chalk is loaded: chalk reads FORCE_COLOR once at import and ignores
 * NO_COLOR, so this must run first.
 */
export function decideColour(argv: readonly string[], env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean {
  if (argv.includes('--color') || (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0')) return true;
  const off =
    argv.includes('--no-color') ||
    argv.includes('--json') ||
    env['NO_COLOR'] !== undefined ||
    env['TERM'] === 'dumb' ||
    !stdoutIsTTY;
  return !off;
}

/** Interactive means a live Ink view is wanted and safe: a real terminal, not CI, not dumb. */
export function isInteractive(env: NodeJS.ProcessEnv = process.env, stdoutIsTTY = Boolean(process.stdout.isTTY)): boolean {
  return stdoutIsTTY && env['TERM'] !== 'dumb' && !env['CI'];
}
