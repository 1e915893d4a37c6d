import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** What reached the proxy: a tunnel asked for, or a request forwarded in absolute form. */
export interface ProxiedRequest {
  readonly kind: 'connect' | 'forward';
  /** `host:port` for a tunnel; the absolute URL for a forwarded request. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

export interface RecordingProxy {
  /** `http://127.0.0.1:<port>` (add credentials to it as a user would). */
  readonly url: string;
  readonly seen: ProxiedRequest[];
  close(): Promise<void>;
}

export interface RecordingProxyOptions {
  /** Where each target host:port really is (a port on 127.0.0.1): names never resolve here. */
  readonly routes: Readonly<Record<string, number>>;
  /** When set, requests without this `Proxy-Authorization` get a 407. */
  readonly requireAuthorization?: string;
}

/**
 * An HTTP proxy on 127.0.0.1 for tests: CONNECT tunnels and absolute-form forwarding, to the
 * local servers `routes` names, recording everything that came through.
 */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const authorized = (headers: IncomingHttpHeaders) =>
    options.requireAuthorization === undefined || headers['proxy-authorization'] === options.requireAuthorization;

  const server: Server = createServer((req, res) => {
    const target = req.url ?? '';
    seen.push({ kind: 'forward', target, headers: req.headers });
    if (!authorized(req.headers)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const url = new URL(target);
    const port = options.routes[url.host] ?? options.routes[`${url.hostname}:${url.port || 80}`];
    if (port === undefined) {
      res.writeHead(502).end();
      return;
    }
    const { 'proxy-authorization': _auth, ...headers } = req.headers;
    const upstream = request({ host: '127.0.0.1', port, method: req.method, path: url.pathname + url.search, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    seen.push({ kind: 'connect', target, headers: req.headers });
    sockets.add(client);
    client.on('error', () => {});
    if (!authorized(req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const port = options.routes[target];
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
