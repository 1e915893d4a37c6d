import type { Permit } from './breaker.js';
import { backoffDelay } from './backoff.js';
import { InvalidOutputError } from './classify.js';
import { sleep } from './clock.js';
import type { EngineContext, RequestRun } from './context.js';
import { AllProvidersFailed, RequestFailed } from './errors.js';
import type { ProviderSlot } from './provider-slot.js';
import { ABORTED } from './attempt-scope.js';
import { settleLeg, startLeg, type Answer, type AttemptCall, type Leg, type LegOutcome } from './attempt-leg.js';
import { hedgePoint } from './hedge-policy.js';
import { raceWithHedge } from './hedge-race.js';
import { acquirePermit } from './shared-health.js';
import type { AttemptError } from './types.js';

export { recordFailure, type Answer, type AttemptCall } from './attempt-leg.js';

/** How a request treats answers that break its output contract. */
export interface RepairPolicy {
  readonly attempts: number;
  readonly countsTowardsBreaker: boolean;
}

const NO_REPAIRS: RepairPolicy = { attempts: 0, countsTowardsBreaker: false };

type ProviderOutcome<T> = { readonly answer: Answer<T> } | { readonly answer?: undefined; readonly reason: string; readonly budgetSpent?: boolean };

/**
 * Walks the providers in order from `startAt`: skips open breakers, retries retryable failures
 * with backoff, fails over on provider-only ones, and throws at once on a fatal one. When every
 * breaker is open it still tries the provider whose cool-down ends soonest, so a total outage
 * recovers as soon as anything answers.
 */
export async function runFailover<T>(
  context: EngineContext,
  run: RequestRun,
  call: AttemptCall<T>,
  startAt = 0,
  leavingFrom?: ProviderSlot,
  repairs: RepairPolicy = NO_REPAIRS,
): Promise<Answer<T>> {
  const slots = run.route;
  let previous = leavingFrom;
  let reason = leavingFrom ? 'failed mid-stream' : '';
  const callsBefore = run.calls;
  for (let index = startAt; index < slots.length; index++) {
    const slot = slots[index]!;
    if (!fitsContext(slot, run)) {
      skip(run, slot, 'context window too small');
      continue;
    }
    if (skipsAsSlow(context, run, slot, index)) {
      skip(run, slot, 'degraded (slow)');
      previous ??= slot;
      reason ||= 'degraded (slow)';
      continue;
    }
    const permit = await acquirePermit(context, slot);
    if (!permit) {
      skip(run, slot, 'breaker open');
      previous ??= slot;
      reason ||= 'breaker open';
      continue;
    }
    const outcome = await tryProvider(context, run, slot, permit, call, previous, reason, repairs);
    if (outcome.answer) return outcome.answer;
    previous = slot;
    reason = outcome.reason;
    if (outcome.budgetSpent) break;
  }
  if (run.calls === callsBefore && withinBudget(context, run)) {
    const soonest = soonestToRecover(run, startAt);
    const permit = soonest ? await acquirePermit(context, soonest, true) : undefined;
    if (soonest && permit) {
      const outcome = await tryProvider(context, run, soonest, permit, call, previous, 'every breaker open', repairs);
      if (outcome.answer) return outcome.answer;
    }
  }
  context.events.emit('exhausted', { requestId: run.requestId, attempts: run.attempts, ms: context.clock.now() - run.startedAt });
  throw new AllProvidersFailed(run.attempts);
}

async function tryProvider<T>(
  context: EngineContext,
  run: RequestRun,
  slot: ProviderSlot,
  permit: Permit,
  call: AttemptCall<T>,
  previous: ProviderSlot | undefined,
  reason: string,
  repairs: RepairPolicy,
): Promise<ProviderOutcome<T>> {
  const { clock } = context;
  const retry = slot.settings.retry;
  let retries = 0;
  let repairsMade = 0;
  let invalid: InvalidOutputError | undefined;
  for (;;) {
    if (!withinBudget(context, run)) {
      slot.breaker.release(permit);
      return { reason: 'request budget spent', budgetSpent: true };
    }
    if (previous && retries === 0 && repairsMade === 0) {
      context.events.emit('failover', { from: previous.name, to: slot.name, requestId: run.requestId, reason });
    }
    const leg = startLeg(context, run, slot, permit, call, invalid);
    const afterMs = context.hedging && run.hedgeable && !run.hedged ? hedgePoint(context.hedging, slot, permit, leg.startedAt) : undefined;
    const outcome: LegOutcome<T> =
      afterMs === undefined
        ? settleLeg(context, run, leg, await leg.result, repairs.countsTowardsBreaker)
        : await raceWithHedge(context, run, leg, afterMs, () => launchHedge(context, run, leg, call, afterMs), repairs.countsTowardsBreaker);
    if (outcome.answer) return { answer: outcome.answer };
    const { error, thrown } = outcome;
    if (error.class === 'invalid-output') {
      if (permit.trial || repairsMade >= repairs.attempts || !(thrown instanceof InvalidOutputError)) {
        return { reason: 'invalid output' };
      }
      repairsMade++;
      invalid = thrown;
      continue;
    }
    if (error.kind === 'context-length') {
      run.contextWindowTooSmall = slot.config.contextWindow ?? 0;
      return { reason: 'context too long' };
    }
    if (error.class === 'fatal') throw new RequestFailed(outcome.leg.slot.name, error, run.attempts, { cause: thrown });
    if (error.class === 'provider-only') return { reason: describe(error) };
    // Retryable. A trial gets one call, and an open breaker is not retried into.
    if (permit.trial || slot.breaker.state !== 'closed' || retries >= retry.maxRetries) {
      return { reason: describe(error) };
    }
    let delayMs = backoffDelay(retries + 1, retry, context.random);
    if (error.retryAfterMs !== undefined) {
      if (error.retryAfterMs > retry.maxRetryAfterMs) return { reason: `Retry-After ${error.retryAfterMs} ms is past the cap` };
      delayMs = error.retryAfterMs;
    }
    if (clock.now() + delayMs >= run.deadline) return { reason: 'no time left to retry', budgetSpent: true };
    retries++;
    context.events.emit('retry', { provider: slot.name, attempt: run.calls, requestId: run.requestId, delayMs, error });
    try {
      await sleep(clock, delayMs, run.signal);
    } catch (abortReason) {
      run.attempts.push({ provider: slot.name, outcome: 'failure', error: ABORTED, ms: 0 });
      throw new RequestFailed(slot.name, ABORTED, run.attempts, { cause: abortReason });
    }
  }
}

/**
 * The hedge for a call to `leg.slot` that is past its hedge point: the same request to the next
 * provider in the route that is healthy (breaker closed, not degraded, context large enough),
 * paid from the hedge budget. Undefined when there is none, or no budget, attempt or time left.
 */
function launchHedge<T>(context: EngineContext, run: RequestRun, leg: Leg<T>, call: AttemptCall<T>, afterMs: number): Leg<T> | undefined {
  if (!withinBudget(context, run)) return undefined;
  const route = run.route;
  for (let index = route.indexOf(leg.slot) + 1; index < route.length; index++) {
    const slot = route[index]!;
    if (slot.breaker.state !== 'closed' || slot.slow.degraded || !fitsContext(slot, run)) continue;
    if (!context.hedging!.budget.spend()) return undefined;
    const permit = slot.breaker.tryAcquire()!;
    run.hedged = true;
    context.events.emit('hedge', { from: leg.slot.name, to: slot.name, requestId: run.requestId, afterMs });
    return startLeg(context, run, slot, permit, call, undefined, true);
  }
  return undefined;
}

/**
 * `onSlow: skip`: a degraded provider is passed by like an open breaker, but only while a
 * healthy provider follows it in the route, so a slow provider never becomes an outage.
 */
function skipsAsSlow(context: EngineContext, run: RequestRun, slot: ProviderSlot, index: number): boolean {
  if (!slot.slow.degraded) return false;
  const alternative = run.route.slice(index + 1).some((next) => next.breaker.state === 'closed' && !next.slow.degraded);
  return alternative && slot.slow.skips(context.clock.now());
}

function skip(run: RequestRun, slot: ProviderSlot, reason: string): void {
  run.attempts.push({ provider: slot.name, outcome: 'skipped', reason, ms: 0 });
}

function withinBudget(context: EngineContext, run: RequestRun): boolean {
  return run.calls < context.config.maxAttempts && context.clock.now() < run.deadline;
}

function fitsContext(slot: ProviderSlot, run: RequestRun): boolean {
  if (run.contextWindowTooSmall === undefined) return true;
  const window = slot.config.contextWindow;
  return window !== undefined && window > run.contextWindowTooSmall;
}

function soonestToRecover(run: RequestRun, startAt: number): ProviderSlot | undefined {
  let best: ProviderSlot | undefined;
  for (const slot of run.route.slice(startAt)) {
    if (slot.breaker.state !== 'open' || !fitsContext(slot, run)) continue;
    if (!best || (slot.breaker.retryAt ?? 0) < (best.breaker.retryAt ?? 0)) best = slot;
  }
  return best;
}

function describe(error: AttemptError): string {
  return error.status ? `${error.status} ${error.kind}` : error.kind;
}
