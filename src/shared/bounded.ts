/** Raised when a Redis call outlives its bound. */
export class RedisTimeoutError extends Error {
  constructor(readonly label: string, readonly ms: number) {
    super(`${label}: no answer from Redis within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * `work`, or a RedisTimeoutError once `ms` pass. The timer is unref'd so a bound never keeps
 * the process alive, and cleared as soon as `work` settles so none pile up.
 */
export function bounded<T>(label: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(label, ms)), ms);
    timer.unref();
  });
  // The loser of the race must not surface as an unhandled rejection later.
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
