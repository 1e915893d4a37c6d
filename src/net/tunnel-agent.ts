import { STATUS_CODES, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { ProxyRoute } from './proxy.js';

/** A proxy that would not open a tunnel (or forward a request): its status says why. */
export class ProxyRefusedError extends Error {
  override readonly name = 'ProxyRefusedError';
  constructor(
    readonly proxy: string,
    readonly target: string,
    readonly status: number,
  ) {
    // The standard reason phrase, not the proxy's own: both transports must word it alike.
    const reason = STATUS_CODES[status];
    super(`the proxy ${proxy} refused to connect to ${target} (${status}${reason ? ` ${reason}` : ''})`);
  }
}

/** The proxy could not be reached at all; `code` is the socket's (ECONNREFUSED, ENOTFOUND...). */
export class ProxyUnreachableError extends Error {
  override readonly name = 'ProxyUnreachableError';
  readonly code: string | undefined;
  constructor(proxy: string, cause: Error) {
    const code = (cause as { code?: unknown }).code;
    super(`cannot reach the proxy ${proxy}${typeof code === 'string' ? ` (${code})` : `: ${cause.message}`}`, { cause });
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/**
 * Opens a tunnel to `host:port` through an HTTP proxy (`CONNECT`), over TLS when the proxy's
 * own URL is https. Resolves to the raw tunnel; the caller runs its own TLS inside it, so the
 * proxy sees neither the request nor its Authorization header.
 */
export function openTunnel(proxy: ProxyRoute, host: string, port: number): Promise<Duplex> {
  const authority = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  const secure = proxy.url.protocol === 'https:';
  const proxyHost = proxy.url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    const send = secure ? httpsRequest : httpRequest;
    const connect = send({
      host: proxyHost,
      port: proxy.url.port || (secure ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}) },
      // A tunnel is one connection for one pooled socket; it is never shared.
      agent: false,
    });
    connect.once('connect', (response: IncomingMessage, socket: Duplex) => {
      if (response.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new ProxyRefusedError(proxy.display, authority, response.statusCode ?? 0));
    });
    // A proxy that answers CONNECT with an ordinary response (and closes) is refusing too.
    connect.once('response', (response: IncomingMessage) => {
      response.resume();
      reject(new ProxyRefusedError(proxy.display, authority, response.statusCode ?? 0));
    });
    connect.once('error', (error) => reject(new ProxyUnreachableError(proxy.display, error)));
    connect.end();
  });
}

/**
 * An https agent whose connections go through a CONNECT tunnel: keep-alive, pooling and TLS
 * options (`ca`, servername) work as on a direct agent, each pooled socket being TLS inside
 * its own tunnel. A proxy that refuses fails the request with ProxyRefusedError rather than
 * handing the proxy's answer to the caller as if the provider had sent it.
 */
export class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: ProxyRoute,
    options: AgentOptions,
  ) {
    super(options);
  }

  // Node's Agent accepts a connection delivered later through the callback.
  override createConnection(options: tls.ConnectionOptions & { host?: string; port?: number }, callback: (error: Error | null, socket?: Duplex) => void): undefined {
    const host = (options.host ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
    openTunnel(this.proxy, host, options.port ?? 443).then(
      (tunnel) => {
        const { host: _host, port: _port, path: _path, ...tlsOptions } = options as tls.ConnectionOptions & { host?: string; port?: number; path?: string };
        const servername = options.servername || (net.isIP(host) ? undefined : host);
        callback(null, tls.connect({ ...tlsOptions, socket: tunnel, ...(servername ? { servername } : {}) }));
      },
      (error: Error) => callback(error),
    );
    return undefined;
  }
}
