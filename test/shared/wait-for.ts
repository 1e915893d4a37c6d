/**
 * Polls `condition` until it holds, for things that arrive over a real socket (Redis pub/sub)
 * and so cannot be driven by a manual clock. Fails with `what` after `timeoutMs`, so a
 * behaviour that never happens fails the test instead of hanging it.
 */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
