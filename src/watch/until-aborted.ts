/**
 * Resolves when `signal` aborts. Until then it holds the process open: the probe timers are
 * unref'd (they must never keep a finished command alive), so without this a watch over remote
 * providers would simply end between two rounds (Node exits 13 on the unsettled top-level await).
 */
export function untilAborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined);
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive);
        resolve(undefined);
      },
      { once: true },
    );
  });
}
