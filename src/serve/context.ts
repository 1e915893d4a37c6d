import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/types.js';
import type { GatewayMetrics } from './metrics.js';

/** What every route of one gateway shares. */
export interface GatewayContext {
  readonly engine: Engine;
  /** The engine's clock, to read breaker `retryAt` times. */
  readonly clock: Clock;
  readonly metrics: GatewayMetrics;
  readonly bodyLimitBytes: number;
  /** Open `GET /events` streams, which never end on their own: shutdown ends them. */
  readonly eventStreams: Set<ServerResponse>;
  /** Where the gateway reports its own faults (stderr in the CLI); already masked by the caller. */
  readonly log: (line: string) => void;
  /** Model aliases (config `models`): the providers, in order, a client's `model` is routed to. */
  readonly routes: Readonly<Record<string, readonly string[]>>;
}

/** One endpoint. It answers every request it takes, errors included. */
export type RouteHandler = (context: GatewayContext, req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
