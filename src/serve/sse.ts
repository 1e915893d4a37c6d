import type { ServerResponse } from 'node:http';

/** Response headers of a server-sent event stream; no proxy buffering, so every event goes out at once. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

/** One `data:` event: a JSON text (a provider's chunk as the provider wrote it), or the literal `[DONE]` that ends an OpenAI stream. */
export function sseData(text: string): string {
  return `data: ${text}\n\n`;
}

/**
 * A named `error` event carrying an OpenAI error body. The openai SDKs throw on it: they read
 * every non-assistant event as JSON and raise an APIError when it has an `error` key.
 */
export function sseError(body: unknown): string {
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

/** A comment line: ignored by every client, and keeps idle proxies from cutting the stream. */
export const SSE_HEARTBEAT = ': heartbeat\n\n';

/**
 * Writes and, when the socket's buffer is full, returns a promise that settles once it drained
 * (or the client went away), so a slow reader holds the stream back instead of filling the
 * gateway's memory. Undefined when there is room: no promise per chunk for the common case.
 */
export function writeWithBackpressure(res: ServerResponse, text: string): Promise<void> | undefined {
  if (res.write(text) || res.destroyed) return undefined;
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
