import type { UnderstudyConfig } from '../config/schema.js';
import type { CancelSignal } from './cancellation.js';
import type { Clock } from './clock.js';
import type { EngineEvents } from './events.js';
import type { HedgePolicy } from './hedge-policy.js';
import type { ProviderSlot } from './provider-slot.js';
import type { SharedHealth } from './shared-health.js';
import { RequestFailed } from './errors.js';
import type { Attempt, AttemptError, HedgeWinner, OutputContract } from './types.js';

/** What every part of one engine shares. */
export interface EngineContext {
  readonly config: UnderstudyConfig;
  readonly slots: readonly ProviderSlot[];
  readonly clock: Clock;
  readonly events: EngineEvents;
  readonly random: () => number;
  /** The config-level output contract, checked on every `complete` answer. */
  readonly output: OutputContract | undefined;
  /** Where breaker state is shared with other instances, if anywhere. */
  readonly shared: SharedHealth | undefined;
  /** When and how often requests are hedged; undefined when the config never hedges. */
  readonly hedging: HedgePolicy | undefined;
  /** Settles once the fleet's open breakers are adopted (fleet mode only). */
  fleetReady?: Promise<void>;
}

/** One request's journey across providers: its budget and everything that happened. */
export interface RequestRun {
  readonly requestId: number;
  readonly attempts: Attempt[];
  readonly signal: CancelSignal | undefined;
  readonly startedAt: number;
  /** Clock time after which no new attempt starts. */
  readonly deadline: number;
  /** Real calls so far (skips excluded), capped by `maxAttempts`. */
  calls: number;
  /** Set after a provider said the prompt is too long: only larger context windows may answer. */
  contextWindowTooSmall?: number;
  /** The providers this request may use, in order: every provider unless the caller chose some. */
  readonly route: readonly ProviderSlot[];
  /** False for a request the caller marked `hedge: false` (not safe to send twice). */
  readonly hedgeable: boolean;
  /** Set once the request was hedged (at most once per request). */
  hedged?: true;
  /** For a hedged request that was answered: which call answered. */
  wonBy?: HedgeWinner;
}

let nextRequestId = 1;

/**
 * Starts a request's run; `providers` narrows and orders the route (a gateway's model alias).
 * Every request earns its share of the hedge budget, hedgeable or not: the budget is a share
 * of all requests.
 */
export function startRun(
  context: EngineContext,
  signal: CancelSignal | undefined,
  providers?: readonly string[],
  hedgeable = true,
): RequestRun {
  const now = context.clock.now();
  context.hedging?.budget.earn();
  return {
    hedgeable,
    route: providers ? routeOf(context, providers) : context.slots,
    requestId: nextRequestId++,
    attempts: [],
    signal,
    startedAt: now,
    deadline: now + context.config.deadlineMs,
    calls: 0,
  };
}

function routeOf(context: EngineContext, providers: readonly string[]): ProviderSlot[] {
  return providers.map((name) => {
    const slot = context.slots.find((candidate) => candidate.name === name);
    if (!slot) throw new Error(`no provider named "${name}" (known: ${context.slots.map((known) => known.name).join(', ')})`);
    return slot;
  });
}

/**
 * Tells subscribers that a request ended without an answer when no `exhausted` event says so:
 * a RequestFailed (a rejected request, an abort, a stream broken with `midStream: fail`).
 * Anything else thrown is left alone.
 */
export function reportFailed(context: EngineContext, run: RequestRun, thrown: unknown): void {
  if (!(thrown instanceof RequestFailed)) return;
  emitFailed(context, run, thrown.provider, thrown.error);
}

/** The consumer of a stream stopped reading before its end (a `break` out of `for await`). */
export const STOPPED: AttemptError = { class: 'fatal', kind: 'aborted', message: 'the consumer stopped reading the stream' };

export function emitFailed(context: EngineContext, run: RequestRun, provider: string, error: AttemptError): void {
  const ms = context.clock.now() - run.startedAt;
  context.events.emit('failed', { requestId: run.requestId, provider, error, attempts: run.attempts, ms });
}
