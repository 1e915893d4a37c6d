import type { FaultScenario } from '../types.js';
import { answeredBy, check, eventsOf, failedOver, failedWithKind, requestAt } from '../checks.js';
import { withPrimaryTimeouts } from '../drill-config.js';

/** Room for scheduling, backoff jitter and the fallback's own answer on top of the timeouts. */
const SLACK_MS = 500;

/** The primary accepts the request and never answers: the call times out, then fails over. */
export const timeout: FaultScenario = {
  name: 'timeout',
  summary: 'the primary never answers: the call gives up at the timeout and fails over, in bounded time',
  injection: { via: 'proxy', fault: { type: 'hang' }, describe: 'completions to the primary hang (accepted, never answered)' },
  tune: (config, settings) => withPrimaryTimeouts(config, settings.timeoutMs),
  async exercise(context) {
    await context.complete('request 1');
  },
  verify(observations) {
    const { primary, fallback, primarySettings } = observations;
    const request = requestAt(observations, 0);
    const timeouts = eventsOf(request.events, 'failure', primary);
    const delays = eventsOf(request.events, 'retry', primary).reduce((sum, event) => sum + event.delayMs, 0);
    const fallbackMs = request.attempts.find((attempt) => attempt.provider === fallback && attempt.outcome === 'success')?.ms ?? 0;
    const bound = primarySettings.timeoutMs * timeouts.length + delays + fallbackMs + SLACK_MS;
    const took = request.endedAt - request.startedAt;
    const late = timeouts.find((event) => event.ms > primarySettings.timeoutMs + SLACK_MS);
    return [
      failedWithKind(request, primary, 'timeout', `the call timed out (${primarySettings.timeoutMs} ms)`, (error) => error.timeout === 'call'),
      check(
        'each call gave up at the timeout',
        timeouts.length > 0 && late === undefined,
        late ? `a call to ${primary} gave up after ${Math.round(late.ms)} ms` : `${timeouts.length} call(s), each ended by the ${primarySettings.timeoutMs} ms timeout`,
      ),
      failedOver(request, primary, fallback),
      answeredBy(request, fallback, 'the next provider answered'),
      check('the whole request took bounded time', took <= bound, `${Math.round(took)} ms (bound ${Math.round(bound)} ms)`),
    ];
  },
};
