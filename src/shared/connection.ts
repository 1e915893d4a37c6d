import { createClient } from 'redis';

/** A node-redis client as `createClient` makes it. */
export type RedisClient = ReturnType<typeof createClient>;

export interface ConnectionOptions {
  readonly url: string;
  /** Longest wait between reconnect attempts while Redis is away. */
  readonly retryMs: number;
  /** Bound on one TCP (and TLS) connect attempt. */
  readonly connectTimeoutMs: number;
  /** Every error the client reports; without a listener node-redis would crash the process. */
  readonly onError: (error: unknown) => void;
}

/**
 * A client that fails fast while Redis is away instead of buffering: the offline queue is off,
 * so a command sent while disconnected is rejected at once rather than held until Redis returns
 * (by then the request that needed it is long answered). Reconnection keeps going in the
 * background with a backoff capped at `retryMs`.
 */
export function createFleetClient(options: ConnectionOptions): RedisClient {
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: (retries: number) => Math.min(25 * 2 ** retries, options.retryMs),
    },
  });
  client.on('error', options.onError);
  return client;
}

/** `url` without its credentials, fit for logs and events (secrets never appear in output). */
export function describeRedis(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'redis (unparseable URL)';
  }
}
