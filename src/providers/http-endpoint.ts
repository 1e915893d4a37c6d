import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from 'openai/error';
import { ProviderResponse } from './http-response.js';

/**
 * Idle keep-alive sockets are closed after this long unless the server announced a shorter
 * `Keep-Alive: timeout` (node's agent then closes 1 s before it). Below the 5 s idle timeout of
 * node's own servers, so a request rarely goes out on a socket the server is just closing.
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * One provider's base URL over `node:http` / `node:https`, with a keep-alive agent of its own:
 * no fetch, no web streams, so a call costs a socket write and a JSON parse.
 */
export class Endpoint {
  private readonly send: (options: RequestOptions) => ClientRequest;
  private readonly agent: HttpAgent;
  private readonly hostname: string;
  private readonly port: string;
  private readonly basePath: string;

  /** `headers` go on every request (auth, the provider's own); lower-case names. */
  constructor(
    baseURL: string,
    private readonly headers: OutgoingHttpHeaders,
  ) {
    const url = new URL(baseURL);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol in baseURL ${baseURL}`);
    const https = url.protocol === 'https:';
    const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const, noDelay: true };
    this.agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.send = https ? httpsRequest : httpRequest;
    this.hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port;
    this.basePath = url.pathname.replace(/\/+$/, '');
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
  async request(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal): Promise<ProviderResponse> {
    try {
      return await this.exchange(method, path, body, signal, true);
    } catch (error) {
      if (!(error instanceof StaleSocket)) throw error;
      // The other idle sockets were opened to the same server and have likely been closed too.
      this.dropIdleSockets();
      return this.exchange(method, path, body, signal, false);
    }
  }

  private exchange(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal, mayRetry: boolean): Promise<ProviderResponse> {
    if (signal.aborted) return Promise.reject(new APIUserAbortError());
    return new Promise((resolve, reject) => {
      const headers = body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = this.send({ hostname: this.hostname, port: this.port, path: this.basePath + path, method, agent: this.agent, headers });
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
