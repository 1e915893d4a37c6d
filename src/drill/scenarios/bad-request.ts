import type { FaultScenario } from '../types.js';
import { callsTo, check, describeFailure, describeOutcome, eventsOf, failuresOf, requestAt } from '../checks.js';

/**
 * The negative control: a 400 says the request itself is wrong, so it would fail everywhere.
 * The engine must surface it at once and must not spend the fallback on it.
 */
export const badRequest: FaultScenario = {
  name: 'bad-request',
  summary: 'the primary answers 400 (the request is wrong): no retry, no failover — the error surfaces',
  injection: { via: 'proxy', fault: { type: 'status', status: 400 }, describe: 'completions to the primary answer 400' },
  async exercise(context) {
    await context.complete('request 1');
  },
  verify(observations) {
    const { primary, fallback } = observations;
    const request = requestAt(observations, 0);
    const failure = failuresOf(request.events, primary)[0];
    const primaryCalls = callsTo(request.events, primary);
    const fallbackCalls = callsTo(request.events, fallback) + eventsOf(request.events, 'failover').length;
    return [
      check(
        'the 400 surfaced as RequestFailed',
        request.errorName === 'RequestFailed' && failure?.status === 400 && failure.class === 'fatal',
        failure ? `${describeOutcome(request)} (${describeFailure(failure)})` : describeOutcome(request),
      ),
      check('no retry of a bad request', primaryCalls === 1, `${primaryCalls} call(s) to ${primary}`),
      check(
        'no failover: the fallback was not called',
        fallbackCalls === 0,
        `${callsTo(request.events, fallback)} call(s) to ${fallback}, ${eventsOf(request.events, 'failover').length} failover(s)`,
      ),
    ];
  },
};
