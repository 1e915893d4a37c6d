import type { ServerResponse } from 'node:http';

/** Response headers of a server-sent event stream; no proxy buffering, so every event goes out at once. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

/** One `data:` event: a JSON payload, or the literal `[DONE]` that ends an OpenAI stream. */
export function sseData(payload: unknown): string {
  return `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
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
 * Writes and, when the socket's buffer is full, waits for it to drain (or for the client to
 * go away), so a slow reader holds the stream back instead of filling the gateway's memory.
 */
export async function writeWithBackpressure(res: ServerResponse, text: string): Promise<void> {
  if (res.write(text) || res.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
