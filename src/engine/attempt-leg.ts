import type { Permit } from './breaker.js';
import type { InvalidOutputError } from './classify.js';
import type { EngineContext, RequestRun } from './context.js';
import type { ProviderSlot } from './provider-slot.js';
import { AttemptScope } from './attempt-scope.js';
import { settleFailure } from './settle.js';
import type { AttemptError } from './types.js';

/**
 * One call to one provider. It resolves when the provider has committed to an answer (a whole
 * completion, or a stream's first content); on success the scope stays open for the caller.
 * `repair` is set when the provider's previous answer broke the output contract.
 */
export type AttemptCall<T> = (slot: ProviderSlot, scope: AttemptScope, budgetMs: number, repair?: InvalidOutputError) => Promise<T>;

/** A committed call: who answered, what, and the scope still holding its connection. */
export interface Answer<T> {
  readonly slot: ProviderSlot;
  readonly value: T;
  readonly scope: AttemptScope;
  /** Clock time the answering call started. */
  readonly startedAt: number;
}

type LegResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly thrown: unknown };

/** A call in flight; two run at once while a request is hedged. */
export interface Leg<T> {
  readonly slot: ProviderSlot;
  readonly permit: Permit;
  readonly scope: AttemptScope;
  readonly startedAt: number;
  /** This call is the hedge, not the one first sent. */
  readonly hedge: boolean;
  /** Settles, never rejects, when the provider committed or the call failed. */
  readonly result: Promise<LegResult<T>>;
}

/** What became of a call once its books are done: an answer, or a failure already recorded and settled. */
export type LegOutcome<T> =
  | { readonly answer: Answer<T> }
  | { readonly answer?: undefined; readonly leg: Leg<T>; readonly error: AttemptError; readonly thrown: unknown };

/** Starts a call: counted against the request's attempts and announced by an `attempt` event. */
export function startLeg<T>(
  context: EngineContext,
  run: RequestRun,
  slot: ProviderSlot,
  permit: Permit,
  call: AttemptCall<T>,
  repair: InvalidOutputError | undefined,
  hedge = false,
): Leg<T> {
  run.calls++;
  context.events.emit('attempt', { provider: slot.name, attempt: run.calls, requestId: run.requestId, ...(hedge ? { hedge: true as const } : {}) });
  const scope = new AttemptScope(context.clock, run.signal);
  const startedAt = context.clock.now();
  const result = call(slot, scope, run.deadline - startedAt, repair).then(
    (value): LegResult<T> => ({ ok: true, value }),
    (thrown: unknown): LegResult<T> => ({ ok: false, thrown }),
  );
  return { slot, permit, scope, startedAt, hedge, result };
}

/** Books a finished call: the breaker, the provider's stats and latency, the request's attempts. */
export function settleLeg<T>(context: EngineContext, run: RequestRun, leg: Leg<T>, result: LegResult<T>, countsInvalidOutput: boolean): LegOutcome<T> {
  const { slot, permit, scope, startedAt } = leg;
  if (result.ok) {
    const now = context.clock.now();
    const ms = now - startedAt;
    slot.breaker.success(permit);
    slot.recordSuccess(ms, now);
    slot.recordFirstToken(ms, now);
    run.attempts.push({ provider: slot.name, outcome: 'success', ...(leg.hedge ? { hedge: true as const } : {}), ms });
    return { answer: { slot, value: result.value, scope, startedAt } };
  }
  const error = scope.failureOf(result.thrown, context.config.classify);
  scope.dispose();
  recordFailure(context, run, slot, error, startedAt, leg.hedge);
  // A call cut off by its timeout was at least that slow: the latency record must see it.
  if (error.kind === 'timeout' && error.timeout !== 'idle') slot.recordFirstToken(context.clock.now() - startedAt, context.clock.now());
  settleFailure(slot, permit, error, countsInvalidOutput);
  return { leg, error, thrown: result.thrown };
}

/**
 * Aborts the call that lost a hedge race. It says nothing about the provider's health (its
 * breaker permit is released), but the time it had taken is a floor of its latency, recorded so
 * a provider that hedges always beat still shows as slow.
 */
export function cancelLeg<T>(context: EngineContext, run: RequestRun, leg: Leg<T>): void {
  leg.scope.dispose();
  const now = context.clock.now();
  const ms = now - leg.startedAt;
  leg.slot.breaker.release(leg.permit);
  leg.slot.recordFirstToken(ms, now);
  run.attempts.push({ provider: leg.slot.name, outcome: 'cancelled', reason: 'lost the hedge race', ...(leg.hedge ? { hedge: true as const } : {}), ms });
}

/** Records a failed call on the run, the provider's stats and the event stream. */
export function recordFailure(
  context: EngineContext,
  run: RequestRun,
  slot: ProviderSlot,
  error: AttemptError,
  startedAt: number,
  hedge = false,
): void {
  const now = context.clock.now();
  const ms = now - startedAt;
  slot.recordFailure(error, ms, now);
  run.attempts.push({
    provider: slot.name,
    outcome: 'failure',
    ...(error.status === undefined ? {} : { status: error.status }),
    error,
    ...(hedge ? { hedge: true as const } : {}),
    ms,
  });
  context.events.emit('failure', { provider: slot.name, attempt: run.calls, requestId: run.requestId, error, ms });
}
