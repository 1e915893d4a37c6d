import type { FaultScenario } from '../types.js';
import { answeredBy, callsTo, check, eventsOf, failedOver, failedWithKind, requestAt } from '../checks.js';
import { sendUntilPrimaryOpens } from './send-until-open.js';

/** The primary answers 503: retry it, fail over, open its breaker, then skip it without a call. */
export const serverError: FaultScenario = {
  name: 'server-error',
  summary: 'the primary answers 503: retries, failover, the breaker opens, then the primary is skipped',
  injection: { via: 'proxy', fault: { type: 'status', status: 503 }, describe: 'every completion to the primary answers 503' },
  async exercise(context) {
    await sendUntilPrimaryOpens(context);
    await context.complete('while the breaker is open');
  },
  verify(observations) {
    const { primary, fallback, primarySettings } = observations;
    const first = requestAt(observations, 0);
    const last = requestAt(observations, -1);
    const retries = eventsOf(first.events, 'retry', primary);
    const opened = observations.events.findIndex((event) => event.type === 'breaker' && event.provider === primary && event.to === 'open');
    const failuresBeforeOpen = opened < 0 ? 0 : eventsOf(observations.events.slice(0, opened), 'failure', primary).length;
    const skipped = last.attempts.some((attempt) => attempt.provider === primary && attempt.outcome === 'skipped');
    return [
      failedWithKind(first, primary, 'server', 'the failure is a 503 server error', (error) => error.status === 503),
      check(
        'the primary was retried before failing over',
        retries.length > 0,
        `${first.label}: ${retries.length} retr${retries.length === 1 ? 'y' : 'ies'} of ${primary} (maxRetries ${primarySettings.maxRetries})`,
      ),
      failedOver(first, primary, fallback),
      check(
        `the breaker opened after ${primarySettings.failureThreshold} consecutive failures`,
        opened >= 0 && failuresBeforeOpen === primarySettings.failureThreshold,
        opened < 0 ? `${primary}'s breaker never opened` : `opened after ${failuresBeforeOpen} failure(s)`,
      ),
      check(
        'with the breaker open, the primary is skipped without a call',
        skipped && last.primaryCalls === 0 && callsTo(last.events, primary) === 0,
        `${last.label}: ${skipped ? 'skipped' : 'not skipped'}, ${last.primaryCalls ?? '?'} request(s) reached ${primary}`,
      ),
      answeredBy(last, fallback, 'the fallback answered while the breaker was open'),
    ];
  },
};
