import type { RouteHandler } from '../context.js';
import { sendJson } from '../respond.js';

/** `GET /healthz`: the process is up and answering. Says nothing about the providers (see readyz). */
export const healthz: RouteHandler = (_context, _req, res) => {
  sendJson(res, 200, { status: 'ok' });
};
