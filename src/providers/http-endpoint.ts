import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from 'openai/error';
import type { CancelSignal } from '../engine/cancellation.js';
import type { Connection } from '../net/connection.js';
import { ProxyRefusedError, TunnelAgent } from '../net/tunnel-agent.js';
import { ProviderResponse } from './http-response.js';

/**
 * Idle keep-alive sockets are closed after this long unless the server announced a shorter
 * `Keep-Alive: timeout` (node's agent then closes 1 s before it). Below the 5 s idle timeout of
 * node's own servers, so a request rarely goes out on a socket the server is just closing.
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * One provider's base URL over `node:http` / `node:https`, with a keep-alive agent of its own:
 * no fetch, no web streams, so a call costs a socket write and a JSON parse. Through a proxy,
 * an https base URL is reached by a CONNECT tunnel per pooled socket (TLS end to end), an http
 * one by sending each request to the proxy in absolute form.
 */
export class Endpoint {
  private readonly send: (options: RequestOptions) => ClientRequest;
  private readonly agent: HttpAgent;
  /** Where sockets connect: the provider, or for a plain-http request through a proxy, the proxy. */
  private readonly hostname: string;
  private readonly port: string;
  /** What precedes a call's path on the request line: the base path, or the whole base URL for a proxy. */
  private readonly pathPrefix: string;
  private readonly headers: OutgoingHttpHeaders;
  /** Set when requests are forwarded by a proxy (absolute form): its 407 is not the provider's. */
  private readonly forwardedBy: string | undefined;
  /** As configured, without a trailing slash: for messages. */
  private readonly baseURL: string;

  /** `headers` go on every request (auth, the provider's own); lower-case names. */
  constructor(baseURL: string, headers: OutgoingHttpHeaders, connection: Connection = {}) {
    const url = new URL(baseURL);
    this.baseURL = baseURL.replace(/\/+$/, '');
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol in baseURL ${baseURL}`);
    const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const, noDelay: true };
    const { proxy } = connection;
    const basePath = url.pathname.replace(/\/+$/, '');
    this.hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port;
    this.pathPrefix = basePath;
    this.headers = headers;
    this.forwardedBy = undefined;
    if (url.protocol === 'https:') {
      const tlsOptions = { ...agentOptions, ...(connection.ca ? { ca: [...connection.ca] } : {}) };
      this.agent = proxy ? new TunnelAgent(proxy, tlsOptions) : new HttpsAgent(tlsOptions);
      this.send = httpsRequest;
    } else if (proxy) {
      const secureProxy = proxy.url.protocol === 'https:';
      this.agent = secureProxy ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
      this.send = secureProxy ? httpsRequest : httpRequest;
      this.hostname = proxy.url.hostname.replace(/^\[(.*)\]$/, '$1');
      this.port = proxy.url.port;
      this.pathPrefix = `${url.origin}${basePath}`;
      this.headers = { ...headers, host: url.host, ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}) };
      this.forwardedBy = proxy.display;
    } else {
      this.agent = new HttpAgent(agentOptions);
      this.send = httpRequest;
    }
  }

  /** The full URL of a call, for messages about it. */
  urlOf(path: string): string {
    return this.baseURL + path;
  }

  /**
   * Sends one request; resolves once the response head arrives (any status). Rejects as the
   * SDK does: APIUserAbortError when `signal` fires (the socket is destroyed at once),
   * APIConnectionError (APIConnectionTimeoutError for a timed-out connect) with the socket
   * error, errno `code` included, as its cause.
   *
   * A pooled socket that the server closed while it sat idle fails the moment it is written
   * to, before any response byte: that request never reached the provider, so it is sent
   * again, once, on a fresh connection, and the provider is not blamed for a race it did not
   * lose (the engine never sees it, so no breaker count and no failure event).
   */
  async request(method: 'GET' | 'POST', path: string, body: string | undefined, signal: CancelSignal): Promise<ProviderResponse> {
    try {
      return await this.exchange(method, path, body, signal, true);
    } catch (error) {
      if (!(error instanceof StaleSocket)) throw error;
      // The other idle sockets were opened to the same server and have likely been closed too.
      this.dropIdleSockets();
      return this.exchange(method, path, body, signal, false);
    }
  }

  private exchange(method: 'GET' | 'POST', path: string, body: string | undefined, signal: CancelSignal, mayRetry: boolean): Promise<ProviderResponse> {
    if (signal.aborted) return Promise.reject(new APIUserAbortError());
    return new Promise((resolve, reject) => {
      const headers = body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = this.send({ hostname: this.hostname, port: this.port, path: this.pathPrefix + path, method, agent: this.agent, headers });
      let responded = false;
      const onAbort = () => {
        req.destroy();
        if (!responded) {
          responded = true;
          reject(new APIUserAbortError());
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => {
        // After the head, a socket error reaches the body's reader through the response.
        if (responded) return;
        responded = true;
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) reject(new APIUserAbortError());
        else if (mayRetry && req.reusedSocket && closedWhileIdle(error)) reject(new StaleSocket());
        else reject(connectionError(error));
      });
      req.once('response', (res) => {
        responded = true;
        if (res.statusCode === 407 && this.forwardedBy !== undefined) {
          signal.removeEventListener('abort', onAbort);
          req.destroy();
          const target = `${this.headers['host'] as string}`;
          return reject(new APIConnectionError({ cause: new ProxyRefusedError(this.forwardedBy, target, 407) }));
        }
        resolve(new ProviderResponse(req, res, signal, onAbort));
      });
      req.end(body);
    });
  }

  private dropIdleSockets(): void {
    for (const sockets of Object.values(this.agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }
}

/** A request that failed on a reused socket before any response byte (see `Endpoint.request`). */
class StaleSocket extends Error {}

/** What writing to a socket the server already closed looks like: a reset, a broken pipe, or a hang-up. */
function closedWhileIdle(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/** As the SDK decides: an error that says it timed out is a connect timeout, anything else a connection error. */
function connectionError(error: Error): APIConnectionError {
  if (/timed? ?out/i.test(`${String(error)}${error.cause === undefined ? '' : String(error.cause)}`)) return new APIConnectionTimeoutError();
  return new APIConnectionError({ cause: error });
}
