import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers: accept, fail with a status (echoing the request path), or never answer. */
export type ReceiverMode = { kind: 'ok' } | { kind: 'status'; status: number } | { kind: 'hang' };

export interface Receiver {
  /** The receiver's URL for `path` (put a token in it to test masking). */
  url(path: string): string;
  /** Every JSON body received, in order of arrival. */
  readonly bodies: unknown[];
  /** Raw request bodies, for "this string never appears" checks. */
  readonly raw: string[];
  /** Requests that arrived, answered or not. */
  readonly arrived: number;
  setMode(mode: ReceiverMode): void;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1, port chosen by the OS, recording what it is sent. */
export async function startReceiver(mode: ReceiverMode = { kind: 'ok' }): Promise<Receiver> {
  let current = mode;
  const bodies: unknown[] = [];
  const raw: string[] = [];
  let arrived = 0;
  const server = http.createServer((request, response) => {
    arrived++;
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      raw.push(text);
      try {
        bodies.push(JSON.parse(text));
      } catch {
        bodies.push(text);
      }
      if (current.kind === 'hang') return;
      if (current.kind === 'status') {
        // Like a careless receiver, it quotes the URL back: a delivery error must mask it.
        response.writeHead(current.status, { 'content-type': 'text/plain' }).end(`no route for ${request.url}`);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    bodies,
    raw,
    get arrived() {
      return arrived;
    },
    setMode(next) {
      current = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
