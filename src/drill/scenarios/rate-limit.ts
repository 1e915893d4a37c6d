import type { FaultScenario } from '../types.js';
import { check, describeOutcome, eventsOf, requestAt } from '../checks.js';

/** The Retry-After the fault sends, in seconds, and the wait it asks for. */
const RETRY_AFTER_SECONDS = 1;
const RETRY_AFTER_MS = RETRY_AFTER_SECONDS * 1000;
/** Timers may fire a hair early relative to the clock that stamped the events. */
const TIMER_TOLERANCE_MS = 5;

/** One 429 with Retry-After: 1 — the engine waits as asked, then the request succeeds. */
export const rateLimit: FaultScenario = {
  name: 'rate-limit',
  summary: 'the primary answers 429 with Retry-After: 1 — the wait is honoured, then the request succeeds',
  injection: {
    via: 'proxy',
    fault: { type: 'status', status: 429, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } },
    scope: { count: 1 },
    describe: `the next completion to the primary answers 429 with Retry-After: ${RETRY_AFTER_SECONDS}`,
  },
  async exercise(context) {
    await context.complete('request 1');
  },
  verify(observations) {
    const { primary } = observations;
    const request = requestAt(observations, 0);
    const retry = eventsOf(request.events, 'retry', primary).find((event) => event.error.kind === 'rate-limit');
    // The real wait: from the 429's failure event to the next call, both stamped by the engine.
    const failedAt = eventsOf(request.events, 'failure', primary).find((event) => event.error.kind === 'rate-limit')?.at;
    const nextCallAt = failedAt === undefined ? undefined : request.events.find((event) => event.type === 'attempt' && event.at > failedAt)?.at;
    const waited = failedAt !== undefined && nextCallAt !== undefined ? nextCallAt - failedAt : undefined;
    return [
      check(
        `the 429 was retried after its Retry-After (${RETRY_AFTER_MS} ms)`,
        retry !== undefined && retry.delayMs >= RETRY_AFTER_MS,
        retry ? `retry of ${primary} scheduled after ${retry.delayMs} ms` : `no retry of ${primary} after the 429; ${describeOutcome(request)}`,
      ),
      check(
        'the engine really waited before calling again',
        waited !== undefined && waited >= RETRY_AFTER_MS - TIMER_TOLERANCE_MS,
        waited === undefined ? 'no call after the 429' : `next call ${Math.round(waited)} ms after the 429`,
      ),
      check('the request succeeded', request.answeredBy !== undefined, `${request.label}: ${describeOutcome(request)}`),
    ];
  },
};
