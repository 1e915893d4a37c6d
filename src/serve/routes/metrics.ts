import type { RouteHandler } from '../context.js';
import { PROMETHEUS_CONTENT_TYPE } from '../prometheus.js';

/** `GET /metrics`: the Prometheus text exposition (see metrics.ts for what is counted). */
export const metrics: RouteHandler = (context, _req, res) => {
  const text = context.metrics.render();
  res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) }).end(text);
};
