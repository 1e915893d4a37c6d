import { maskSecrets } from '../../config/secrets.js';
import type { Clock } from '../../engine/clock.js';
import type { EngineEvent, ProviderState } from '../../engine/types.js';
import type { RouteHandler } from '../context.js';
import { SSE_HEADERS, SSE_HEARTBEAT, sseData } from '../sse.js';

/** A comment every so often keeps idle proxies and load balancers from cutting a quiet stream. */
export const HEARTBEAT_MS = 15_000;

/**
 * A subscriber this far behind is dropped: its events would otherwise pile up in the gateway's
 * memory for as long as it stays connected.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** One provider in the `snapshot` event: its state, with its engine-clock times also as wall-clock ms. */
export type WallProviderState = ProviderState & { readonly retryAtWall?: number; readonly lastAttemptAtWall?: number };

/** The first event of every stream: every breaker as it is now, so a client needs no history. */
export interface SnapshotEvent {
  readonly type: 'snapshot';
  readonly providers: readonly WallProviderState[];
  /** Wall-clock ms (Date.now()) the snapshot was taken. */
  readonly at: number;
}

/**
 * `GET /events`: a `snapshot` event, then every engine event as one `data:` line of JSON, live,
 * until the client leaves. Engine times (`at`, `retryAt`) are on the engine's clock, which means
 * nothing in another process, so every event also carries them as wall-clock ms (`atWall`,
 * `retryAtWall`).
 */
export const events: RouteHandler = (context, req, res) => {
  res.writeHead(200, SSE_HEADERS);
  const toWall = wallOffset(context.clock);
  // One write with the `: connected` comment, so the client has the snapshot in the same read
  // that tells it the stream is open (and readers that skip that first read lose nothing live).
  res.write(': connected\n\n' + maskSecrets(sseData(JSON.stringify(snapshotOf(context.engine.state(), toWall)))));
  context.eventStreams.add(res);
  const unsubscribe = context.engine.onAny((event) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) return void res.destroy();
    res.write(maskSecrets(sseData(JSON.stringify(withWallTimes(event, toWall)))));
  });
  const heartbeat = setInterval(() => res.write(SSE_HEARTBEAT), HEARTBEAT_MS);
  // Never the reason the process stays up.
  heartbeat.unref();
  res.once('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    context.eventStreams.delete(res);
  });
  req.resume();
};

/**
 * Engine clock → wall clock. The offset is read at each conversion rather than once per stream,
 * so a stream that stays open for days follows wall-clock adjustments (NTP) instead of drifting.
 */
function wallOffset(clock: Clock): (clockMs: number) => number {
  return (clockMs) => Math.round(clockMs + (Date.now() - clock.now()));
}

/** The `snapshot` event for `states`. */
function snapshotOf(states: readonly ProviderState[], toWall: (clockMs: number) => number): SnapshotEvent {
  return {
    type: 'snapshot',
    providers: states.map((state) => ({
      ...state,
      ...(state.retryAt === undefined ? {} : { retryAtWall: toWall(state.retryAt) }),
      ...(state.stats.lastAttemptAt === undefined ? {} : { lastAttemptAtWall: toWall(state.stats.lastAttemptAt) }),
    })),
    at: Date.now(),
  };
}

/** `event` with `atWall`, and `retryAtWall` on a breaker event that has a `retryAt`; nothing removed. */
function withWallTimes(event: EngineEvent, toWall: (clockMs: number) => number): EngineEvent & { atWall: number; retryAtWall?: number } {
  const retryAtWall = event.type === 'breaker' && event.retryAt !== undefined ? { retryAtWall: toWall(event.retryAt) } : {};
  return { ...event, atWall: toWall(event.at), ...retryAtWall };
}
