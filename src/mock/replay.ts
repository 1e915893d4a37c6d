import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { PortListener, hostForURL } from './listener.js';
import { openAIError } from './openai-shapes.js';
import type { WireResponse } from './wire-fixture.js';

/** Which answer goes to which request: `POST /chat/completions`, `GET /models` (paths under the base URL). */
export type ReplayRoutes = Readonly<Record<string, WireResponse>>;

/** A running replay server. */
export interface ReplayServer {
  /** What a client takes as `baseURL`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseURL: string;
  /** Requests received per route (`POST /chat/completions`), unknown ones included. */
  readonly requests: Readonly<Record<string, number>>;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/**
 * Serves recorded vendor answers (fixtures/wire) on 127.0.0.1 at a free port: every request to
 * a route gets that route's answer, byte for byte as the fixture says; any other route gets an
 * OpenAI-style 404. Unlike the mock provider it computes nothing: it proves the engine reads the
 * vendors' own shapes, not this project's.
 */
export async function startReplayServer(routes: ReplayRoutes, options: { host?: string } = {}): Promise<ReplayServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: Record<string, number> = {};
  const server = createServer((req, res) => {
    // The request body is read to its end, so the client never sees a reset for an unread body.
    req.resume();
    req.once('end', () => answer(req, res));
  });
  const listener = await PortListener.open(server, host, 0);

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://replay').pathname.replace(/^\/v1/, '');
    const route = `${req.method ?? 'GET'} ${path}`;
    requests[route] = (requests[route] ?? 0) + 1;
    const response = routes[route];
    if (!response) {
      const body = JSON.stringify(openAIError(`Unknown request URL: ${route}.`, 'invalid_request_error', 'unknown_url'));
      res.writeHead(404, { 'content-type': 'application/json' }).end(body);
      return;
    }
    send(res, response);
  }

  return {
    baseURL: `http://${hostForURL(host)}:${listener.port}/v1`,
    requests,
    close: () => listener.close(),
  };
}

function send(res: ServerResponse, response: WireResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  const has = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
  let text: string;
  if (response.sse) {
    if (!has('content-type')) headers['content-type'] = 'text/event-stream';
    text = response.sse.map((line) => `${line}\n`).join('');
  } else if (typeof response.body === 'string') {
    text = response.body;
  } else {
    if (!has('content-type')) headers['content-type'] = 'application/json';
    text = response.body === undefined ? '' : JSON.stringify(response.body);
  }
  res.writeHead(response.status, headers).end(text);
}
