import { maskSecrets } from '../../config/secrets.js';
import type { RouteHandler } from '../context.js';
import { SSE_HEADERS, SSE_HEARTBEAT, sseData } from '../sse.js';

/** A comment every so often keeps idle proxies and load balancers from cutting a quiet stream. */
export const HEARTBEAT_MS = 15_000;

/**
 * A subscriber this far behind is dropped: its events would otherwise pile up in the gateway's
 * memory for as long as it stays connected.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** `GET /events`: every engine event as one `data:` line of JSON, live, until the client leaves. */
export const events: RouteHandler = (context, req, res) => {
  res.writeHead(200, SSE_HEADERS);
  // Sent at once, so the client knows the stream is open before the first event.
  res.write(': connected\n\n');
  context.eventStreams.add(res);
  const unsubscribe = context.engine.onAny((event) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) return void res.destroy();
    res.write(maskSecrets(sseData(event)));
  });
  const heartbeat = setInterval(() => res.write(SSE_HEARTBEAT), HEARTBEAT_MS);
  // Never the reason the process stays up.
  heartbeat.unref();
  res.once('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    context.eventStreams.delete(res);
  });
  req.resume();
};
