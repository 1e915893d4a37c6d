import type { RouteHandler } from '../context.js';

/** `GET /metrics`: the Prometheus text exposition (see metrics.ts for what is counted). */
export const metrics: RouteHandler = async (context, _req, res) => {
  const text = await context.metrics.render();
  res.writeHead(200, { 'content-type': context.metrics.contentType, 'content-length': Buffer.byteLength(text) }).end(text);
};
