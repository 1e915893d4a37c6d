import { z } from 'zod';
import type { AttemptError, FailureKind } from '../engine/types.js';

/**
 * What a gateway's `GET /events` stream sends, as the watch reads it: parsed, never trusted.
 * Only the events the board uses are read; anything else (another version's, a stray line) is
 * skipped rather than breaking the stream. Times are the gateway's wall-clock fields (`atWall`,
 * `retryAtWall`): its engine-clock ones mean nothing in this process.
 */

const KINDS = [
  'connection',
  'timeout',
  'rate-limit',
  'server',
  'malformed',
  'auth',
  'quota',
  'not-found',
  'context-length',
  'bad-request',
  'content-filter',
  'invalid-output',
  'aborted',
] as const satisfies readonly FailureKind[];
const breakerState = z.enum(['closed', 'open', 'half-open']);

// An error of a kind this version does not know is dropped (`catch`), not the whole event:
// the failure still counts, only its description is lost.
const attemptError = z
  .object({
    class: z.enum(['retryable', 'provider-only', 'fatal', 'invalid-output']),
    kind: z.enum(KINDS),
    status: z.number().optional(),
    message: z.string(),
    retryAfterMs: z.number().optional(),
    timeout: z.enum(['call', 'first-token', 'idle']).optional(),
  })
  .optional()
  .catch(undefined);

const snapshot = z.object({
  type: z.literal('snapshot'),
  at: z.number(),
  providers: z.array(
    z.object({
      name: z.string(),
      model: z.string(),
      breaker: breakerState,
      retryAtWall: z.number().optional(),
      stats: z.object({
        requests: z.number(),
        successes: z.number(),
        failures: z.number(),
        consecutiveFailures: z.number(),
        lastLatencyMs: z.number().optional(),
        lastError: attemptError,
      }),
      degraded: z.object({ p90Ms: z.number(), slowMs: z.number() }).optional().catch(undefined),
    }),
  ),
});

const wall = { atWall: z.number().optional() };
const event = z.discriminatedUnion('type', [
  snapshot,
  z.object({ type: z.literal('breaker'), provider: z.string(), from: breakerState, to: breakerState, retryAtWall: z.number().optional(), ...wall }),
  z.object({ type: z.literal('recovered'), provider: z.string(), downForMs: z.number(), ...wall }),
  z.object({ type: z.literal('degraded'), provider: z.string(), degraded: z.boolean(), p90Ms: z.number().optional(), slowMs: z.number(), ...wall }),
  z.object({ type: z.literal('failover'), from: z.string(), to: z.string(), reason: z.string(), ...wall }),
  z.object({ type: z.literal('failure'), provider: z.string(), ms: z.number(), error: attemptError, ...wall }),
  z.object({
    type: z.literal('success'),
    provider: z.string(),
    ms: z.number(),
    attempts: z.array(z.object({ provider: z.string(), outcome: z.string(), ms: z.number() })).catch([]),
    ...wall,
  }),
]);

/** One event of the stream the watch understands. */
export type GatewayEvent = z.infer<typeof event>;
/** The first event of every stream: every provider as it is. */
export type GatewaySnapshot = z.infer<typeof snapshot>;

/** The event in a `data:` payload, or undefined for one the watch does not use or cannot read. */
export function parseGatewayEvent(data: string): GatewayEvent | undefined {
  try {
    const parsed = event.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The wire error as the engine's type (the schema admits only its values). */
export function asAttemptError(error: z.infer<typeof attemptError>): AttemptError | undefined {
  if (!error) return undefined;
  const { status, retryAfterMs, timeout, ...rest } = error;
  return { ...rest, ...(status === undefined ? {} : { status }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(timeout === undefined ? {} : { timeout }) };
}

