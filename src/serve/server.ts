import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normalizeConfig } from '../config/normalize.js';
import type { UnderstudyConfig, UnderstudyConfigInput } from '../config/schema.js';
import { registerSecret } from '../config/secrets.js';
import { systemClock, type Clock } from '../engine/clock.js';
import { createEngine } from '../engine/engine.js';
import type { SharedHealth } from '../engine/shared-health.js';
import type { Engine } from '../engine/types.js';
import type { ProviderTransport } from '../providers/openai-compatible.js';
import { tokenCheck } from './auth.js';
import type { GatewayContext } from './context.js';
import { assertProtected } from './exposure.js';
import { InFlightAnswers } from './in-flight.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.js';
import { HttpError } from './openai-errors.js';
import { sendError } from './respond.js';
import { matchRoute } from './router.js';

/** For a program that is a gateway and nothing else, as `understudy serve` is. */
export { tuneHeapForGateway, type HeapTuning } from './heap.js';

/** How to start a gateway; `config.serve` gives the defaults for host and port. */
export interface GatewayOptions {
  /** An engine to serve instead of one built from `config` (tests, a library embedding the gateway). */
  readonly engine?: Engine;
  /** The engine's clock, when `engine` is given and runs on another clock than the system's. */
  readonly clock?: Clock;
  /** Overrides `serve.host`. */
  readonly host?: string;
  /** Overrides `serve.port`; 0 lets the OS pick a free one. */
  readonly port?: number;
  /** Where the gateway reports its own faults (default: nowhere). */
  readonly log?: (line: string) => void;
  /** Share breaker state with the other replicas (fleet mode). */
  readonly shared?: SharedHealth;
  /** Called with the engine as soon as it exists (to attach alerts before any event). */
  readonly onEngine?: (engine: Engine) => void;
  /**
   * How the gateway's own engine calls providers (ignored when `engine` is given). Default
   * `http`: a gateway's every request is a provider call, and the lean transport is what keeps
   * its added latency, throughput and memory within budget (see bench/serve.js).
   */
  readonly transport?: ProviderTransport;
}

/** A running gateway. */
export interface Gateway {
  /** `http://host:port`, without `/v1`: an OpenAI client takes `url + '/v1'` as its base URL. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly engine: Engine;
  readonly metrics: GatewayMetrics;
  /**
   * Stops taking requests, lets those in flight finish (ending `/events` streams at once), and
   * resolves once everything is closed. After `graceMs` the remaining connections are cut.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

const DEFAULT_GRACE_MS = 25_000;

/**
 * Starts the OpenAI-compatible gateway: any OpenAI client pointed at `url + '/v1'` gets the
 * engine's failover. Listens on `serve.host` (127.0.0.1 by default); refuses (throws
 * UnprotectedHostError) to listen beyond loopback without `serve.tokens`.
 */
export async function startGateway(config: UnderstudyConfigInput | UnderstudyConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const normalized = normalizeConfig(config as UnderstudyConfigInput);
  const { tokens, bodyLimitBytes } = normalized.serve;
  const host = options.host ?? normalized.serve.host;
  const port = options.port ?? normalized.serve.port;
  assertProtected(host, tokens);
  for (const token of tokens) registerSecret(token);

  // A client cannot un-receive text, so a stream the gateway owns never restarts mid-answer:
  // it ends with an error event instead (the route also handles an injected restarting engine).
  const engine =
    options.engine ??
    createEngine({ ...normalized, midStream: 'fail' }, { transport: options.transport ?? 'http', ...(options.shared ? { shared: options.shared } : {}) });
  const ownsEngine = options.engine === undefined;
  // Before anything can happen on the engine, so no event (a fleet store already down) is missed.
  options.onEngine?.(engine);
  const metrics = createGatewayMetrics(engine);
  const context: GatewayContext = {
    engine,
    clock: options.clock ?? systemClock,
    metrics,
    bodyLimitBytes,
    eventStreams: new Set(),
    log: options.log ?? (() => {}),
    routes: normalized.models ?? {},
  };
  const authorized = tokenCheck(tokens);
  const inFlight = new InFlightAnswers();
  let closing = false;
  let closed: Promise<void> | undefined;

  const server = createServer((req, res) => {
    const startedAt = performance.now();
    const match = matchRoute(req.method, req.url);
    const routeLabel = match.kind === 'found' ? match.route.path : 'other';
    // One listener per request does both jobs: 'close' follows 'finish' on every answer that was
    // sent whole, and an answer cut short (the client left) is not a request the gateway answered.
    let leave: (() => boolean) | undefined;
    res.once('close', () => {
      if (res.writableFinished) metrics.observeHttp(routeLabel, res.statusCode, (performance.now() - startedAt) / 1000);
      // During shutdown a finished keep-alive connection is idle: close it now.
      if (leave?.() && closing) server.closeIdleConnections();
    });
    if (closing) {
      res.setHeader('connection', 'close');
      return refuse(res, new HttpError(503, 'The gateway is shutting down.', 'server_error', 'shutting_down', { 'retry-after': '1' }));
    }
    if (match.kind === 'not-found') return refuse(res, new HttpError(404, `Unknown request URL: ${req.method} ${req.url}.`, 'invalid_request_error', 'unknown_url'));
    if (match.kind === 'wrong-method') return refuse(res, new HttpError(405, `Method ${req.method} is not allowed here.`, 'invalid_request_error', 'method_not_allowed', { allow: match.allowed }));
    if (!match.route.public && !authorized(req)) {
      return refuse(res, new HttpError(401, 'Missing or incorrect gateway token (Authorization: Bearer <token>).', 'invalid_request_error', 'invalid_api_key'));
    }
    leave = inFlight.add(res);
    Promise.resolve(match.route.handler(context, req, res)).catch((error: unknown) => {
      if (!(error instanceof HttpError)) context.log(`understudy serve: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendError(res, error);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    host,
    port: address.port,
    engine,
    metrics,
    close({ graceMs = DEFAULT_GRACE_MS } = {}) {
      closing = true;
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const stream of context.eventStreams) stream.end();
        // Answers still to come go out with `Connection: close`, so their sockets end with them.
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
        server.closeIdleConnections();
        await drained(inFlight, graceMs);
        server.closeAllConnections();
        await stopped;
        metrics.dispose();
        if (ownsEngine) engine.close();
      })();
      return closed;
    },
  };
}

function refuse(res: ServerResponse, error: HttpError): void {
  sendError(res, error);
}

/** Resolves when every in-flight answer has closed, or after `graceMs`. */
async function drained(inFlight: InFlightAnswers, graceMs: number): Promise<void> {
  if (inFlight.size === 0) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, graceMs);
    timer.unref();
    let remaining = inFlight.size;
    for (const res of inFlight) {
      res.once('close', () => {
        if (--remaining === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}

