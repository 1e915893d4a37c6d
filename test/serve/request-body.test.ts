import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readJsonObject } from '../../src/serve/request-body.js';
import { sendError, sendJson } from '../../src/serve/respond.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server that echoes the parsed body, or answers the gateway's error for it. */
async function echoServer(limitBytes: number): Promise<number> {
  server = createServer((req, res) => {
    readJsonObject(req, limitBytes).then(
      (body) => sendJson(res, 200, body),
      (error: unknown) => sendError(res, error),
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** POSTs `parts` as a chunked body (no Content-Length), one write each. */
function postChunked(port: number, parts: string[]): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (body += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

describe('reading a request body', () => {
  it('parses a JSON object that arrives in pieces', async () => {
    const port = await echoServer(1024);
    const answer = await postChunked(port, ['{"messages":', '[{"role":"user",', '"content":"hi"}]}']);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ messages: [{ role: 'user', content: 'hi' }] });
  });

  it('answers 413 and closes the connection when a body without Content-Length outgrows the limit', async () => {
    const port = await echoServer(1024);
    const answer = await postChunked(port, ['{"content":"', 'x'.repeat(800), 'x'.repeat(800), '"}']);
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'request_too_large' } });
  });

  it('answers 400 to a body that is not a JSON object', async () => {
    const port = await echoServer(1024);
    expect((await postChunked(port, ['[1,2]'])).status).toBe(400);
    expect((await postChunked(port, ['{"unfinished'])).status).toBe(400);
  });
});
