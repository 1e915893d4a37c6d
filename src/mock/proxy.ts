import { Agent as HttpAgent, createServer, request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AnswerWriter } from './answer-writer.js';
import { newCounters, recordStatus, resetCounters } from './counters.js';
import type { RequestCounters } from './counters.js';
import { FaultController } from './fault-controller.js';
import type { FaultControls } from './fault-controller.js';
import { playTerminalFault } from './faults.js';
import type { Fault, Route } from './faults.js';
import { PortListener, hostForURL } from './listener.js';
import { openAIError } from './openai-shapes.js';
import { BodyTooLargeError, parseJsonObject, readBody } from './request-body.js';

/** Where the proxy forwards to, and where it listens. */
export interface FaultProxyOptions {
  /** The upstream's base URL, e.g. `http://127.0.0.1:1234/v1` or `https://api.openai.com/v1`. */
  target: string;
  /** 0 (default): a free port the OS picks. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
}

/** What went through the proxy. */
export interface ProxyCounters extends RequestCounters {
  /** Requests sent on to the target and answered by it. */
  forwarded: number;
  /** Requests the target could not be reached for (answered 502 by the proxy). */
  upstreamErrors: number;
}

/** A running fault-injecting proxy in front of one provider. */
export interface FaultProxy extends FaultControls {
  /** The base URL to give clients instead of the target's, e.g. `http://127.0.0.1:41234/v1` (same path as the target). */
  readonly baseURL: string;
  /** The port it listens on (the same one again after a `refuse` fault ends). */
  readonly port: number;
  /** The upstream base URL everything is forwarded to. */
  readonly target: string;
  /** Live counts since start or the last `resetCounters()`. */
  readonly counters: Readonly<ProxyCounters>;
  /** Sets every count back to zero. */
  resetCounters(): void;
  /** Stops listening, destroys open connections (both sides) and the upstream connection pool. */
  close(): Promise<void>;
}

/**
 * Connection-level headers that belong to one hop, not to the request: never forwarded
 * (RFC 9110 §7.6.1). Everything else, Authorization included, goes through unchanged.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Starts a proxy on 127.0.0.1 that forwards every request unchanged to `target` (http or
 * https) and pipes the answer back as it arrives; while a fault is set it plays the fault
 * instead, or into the relayed answer (slow first token, dropped stream).
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = parseTarget(options.target);
  const host = options.host ?? '127.0.0.1';
  const counters: ProxyCounters = { ...newCounters(), forwarded: 0, upstreamErrors: 0 };
  // Our own pool, so close() can end its kept-alive upstream connections.
  const agent = target.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = `fault proxy internal error: ${error instanceof Error ? error.message : String(error)}`;
      if (!res.headersSent) sendError(res, 500, message);
      else res.destroy();
    });
  });
  const listener = await PortListener.open(server, host, options.port ?? 0);
  const faults = new FaultController(listener);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.requests++;
    res.once('close', () => recordStatus(counters, res));
    // Only paths are forwarded: an absolute URL (a forward-proxy request) could point anywhere.
    if (!req.url?.startsWith('/')) return sendError(res, 400, 'the fault proxy only forwards paths to its target');
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) sendError(res, 413, error.message);
      return;
    }
    const route = routeOf(new URL(req.url, 'http://proxy').pathname);
    const stream = route === 'completions' && parseJsonObject(body)?.['stream'] === true;
    const fault = faults.take(route);
    if (fault) counters.faults++;
    if (fault && playTerminalFault(fault, { route, stream }, req, res)) return;
    await forward(req, res, body, fault);
  }

  async function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, fault: Fault | undefined): Promise<void> {
    // Glued to the origin rather than resolved against it, so a path like `//elsewhere/x` stays a path.
    const url = new URL(`${target.origin}${req.url ?? '/'}`);
    const headers: OutgoingHttpHeaders = { ...endToEnd(req.headers), host: url.host };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstreamRequest: ClientRequest = send(url, { method: req.method, headers, agent });
    // Errors after the answer started arrive through the response; none may go unhandled.
    upstreamRequest.on('error', () => undefined);
    // The client gave up: so does the proxy, rather than reading an answer nobody wants.
    res.once('close', () => {
      if (!res.writableFinished) upstreamRequest.destroy();
    });

    let upstream: IncomingMessage;
    try {
      upstream = await new Promise<IncomingMessage>((resolve, reject) => {
        upstreamRequest.once('response', resolve).once('error', reject);
        upstreamRequest.end(body);
      });
    } catch (error) {
      if (res.destroyed) return;
      counters.upstreamErrors++;
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return sendError(res, 502, `fault proxy could not reach ${target.origin}: ${reason}`);
    }
    counters.forwarded++;

    const writer = new AnswerWriter(res, fault);
    try {
      if (!(await writer.head(upstream.statusCode ?? 502, endToEnd(upstream.headers)))) return void upstream.destroy();
      for await (const chunk of upstream as AsyncIterable<Buffer>) {
        if (!(await writer.write(chunk))) return void upstream.destroy();
      }
      writer.end();
    } catch {
      // The upstream died mid-answer: the client must see a broken answer, not a short one.
      res.destroy();
    }
  }

  return {
    baseURL: `http://${hostForURL(host)}:${listener.port}${target.pathname.replace(/\/$/, '')}`,
    port: listener.port,
    target: options.target,
    setFault: (fault, scope) => faults.setFault(fault, scope),
    setFaults: (list) => faults.setFaults(list),
    clearFault: () => faults.clearFault(),
    get fault() {
      return faults.fault;
    },
    counters,
    resetCounters() {
      resetCounters(counters, { forwarded: 0, upstreamErrors: 0 });
    },
    async close() {
      faults.dispose();
      await listener.close();
      agent.destroy();
    },
  };
}

function parseTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`fault proxy target is not a URL: ${JSON.stringify(target)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`fault proxy target must be http or https, not ${url.protocol}`);
  return url;
}

/** Which endpoint a path is for, whatever the target's base path (`/v1`, `/openai/v1`, ...). */
function routeOf(path: string): Route {
  if (path.endsWith('/chat/completions')) return 'completions';
  if (/\/models(\/[^/]+)?$/.test(path)) return 'models';
  return 'other';
}

/** The headers minus the hop-by-hop ones (and any the Connection header names as such). */
function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)));
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(openAIError(message, 'proxy_error', null)));
}
