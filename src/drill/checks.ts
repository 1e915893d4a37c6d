import type { AttemptError, EngineEvent } from '../engine/types.js';
import type { CheckOutcome } from '../report/check-result.js';
import { describeError } from '../report/view-model.js';
import type { Observations, RequestRecord } from './types.js';

/**
 * Small pure helpers the scenarios' `verify` functions are written with. Each reads engine
 * events and request records only: a verdict is never a guess from timing alone.
 */

/** A check outcome. */
export function check(name: string, ok: boolean, detail: string): CheckOutcome {
  return { name, ok, detail };
}

/** True when every check of a result was skipped: the scenario had nothing to do (no tasks configured). */
export function isSkipped(result: { readonly checks: readonly CheckOutcome[] }): boolean {
  return result.checks.length > 0 && result.checks.every((outcome) => outcome.skipped === true);
}

/** A request that never happened (the scenario stopped early): it answers nothing and has no events. */
const NO_REQUEST: RequestRecord = {
  label: '(not sent)',
  stream: false,
  startedAt: 0,
  endedAt: 0,
  answeredBy: undefined,
  attempts: [],
  events: [],
  errorName: 'NotSent',
  errorMessage: 'the request was never sent',
  text: '',
  tokens: 0,
  finished: false,
  discarded: '',
  restarts: 0,
  primaryCalls: undefined,
};

/** The `index`th request, or an empty record that fails every check made of it. */
export function requestAt(observations: Observations, index: number): RequestRecord {
  return observations.requests.at(index) ?? NO_REQUEST;
}

/** The events of one type, optionally only those about one provider. */
export function eventsOf<T extends EngineEvent['type']>(
  events: readonly EngineEvent[],
  type: T,
  provider?: string,
): Extract<EngineEvent, { type: T }>[] {
  return events.filter(
    (event): event is Extract<EngineEvent, { type: T }> =>
      event.type === type && (provider === undefined || !('provider' in event) || event.provider === provider),
  );
}

/** Calls made to a provider (its `attempt` events). */
export function callsTo(events: readonly EngineEvent[], provider: string): number {
  return eventsOf(events, 'attempt', provider).length;
}

/** The failures of one provider's calls, in order. */
export function failuresOf(events: readonly EngineEvent[], provider: string): AttemptError[] {
  return eventsOf(events, 'failure', provider).map((event) => event.error);
}

/** `503 server error` plus the provider's own words, for a check's detail. */
export function describeFailure(error: AttemptError): string {
  return `${describeError(error)} (${error.class}): ${error.message}`;
}

/** `answered by backup`, or how it failed. */
export function describeOutcome(record: RequestRecord): string {
  if (record.answeredBy) return `answered by ${record.answeredBy}`;
  return `no answer: ${record.errorName ?? 'error'}: ${record.errorMessage ?? 'unknown'}`;
}

/** The request was answered by `provider`. */
export function answeredBy(record: RequestRecord, provider: string, name = `answered by ${provider}`): CheckOutcome {
  return check(name, record.answeredBy === provider, `${record.label}: ${describeOutcome(record)}`);
}

/** The engine moved the request from `from` to `to` (a `failover` event) and `to` answered it. */
export function failedOver(record: RequestRecord, from: string, to: string, name = `failed over from ${from} to ${to}`): CheckOutcome {
  const failover = eventsOf(record.events, 'failover').find((event) => event.from === from && event.to === to);
  const ok = failover !== undefined && record.answeredBy === to;
  const detail = failover
    ? `${record.label}: failover (${failover.reason}), ${describeOutcome(record)}`
    : `${record.label}: no failover from ${from} to ${to}; ${describeOutcome(record)}`;
  return check(name, ok, detail);
}

/** Every failure of `provider` in `record` is of `kind` (and there is at least one). */
export function failedWithKind(
  record: RequestRecord,
  provider: string,
  kind: AttemptError['kind'],
  name: string,
  also: (error: AttemptError) => boolean = () => true,
): CheckOutcome {
  const failures = failuresOf(record.events, provider);
  const wrong = failures.find((error) => error.kind !== kind || !also(error));
  if (failures.length === 0) return check(name, false, `${record.label}: ${provider} did not fail; ${describeOutcome(record)}`);
  if (wrong) return check(name, false, `${record.label}: ${provider} failed with ${describeFailure(wrong)}`);
  return check(name, true, `${record.label}: ${failures.length} × ${describeFailure(failures[0]!)}`);
}

/** The primary's breaker went through these states in this order (other changes may come between). */
export function breakerWent(events: readonly EngineEvent[], provider: string, states: readonly string[]): boolean {
  let next = 0;
  for (const event of eventsOf(events, 'breaker', provider)) {
    if (event.to === states[next]) next++;
    if (next === states.length) return true;
  }
  return false;
}

/** `○ open → ◐ half-open → ● closed`-style trail of a provider's breaker, for details. */
export function breakerTrail(events: readonly EngineEvent[], provider: string): string {
  const changes = eventsOf(events, 'breaker', provider);
  if (changes.length === 0) return 'no breaker change';
  return [changes[0]!.from, ...changes.map((event) => event.to)].join(' → ');
}
