import type { ServerResponse } from 'node:http';
import { errorAnswer } from './openai-errors.js';

/** Sends a JSON body with its length, unless the client is gone or an answer already started. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** Sends the OpenAI-shaped answer for an error (see `errorAnswer`), with any extra headers. */
export function sendError(
  res: ServerResponse,
  error: unknown,
  retryAfterSeconds: () => number = () => 1,
  headers: Readonly<Record<string, string>> = {},
): void {
  const answer = errorAnswer(error, retryAfterSeconds);
  sendJson(res, answer.status, answer.body, { ...headers, ...answer.headers });
}
