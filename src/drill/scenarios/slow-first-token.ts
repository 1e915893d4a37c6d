import type { FaultScenario } from '../types.js';
import { check, describeOutcome, failedOver, failedWithKind, requestAt } from '../checks.js';
import { withPrimaryTimeouts } from '../drill-config.js';

/** Far longer than any drill timeout: the stream stays silent until the engine gives up. */
const SILENCE_MS = 60_000;

/** The primary's stream starts and then stays silent: the first-token timeout fails it over. */
export const slowFirstToken: FaultScenario = {
  name: 'slow-first-token',
  summary: "the primary's stream sends no first token: the first-token timeout fails over and the stream completes",
  streams: true,
  injection: {
    via: 'proxy',
    fault: { type: 'slow-first-token', delayMs: SILENCE_MS },
    describe: "the primary's streams send headers, then nothing",
  },
  tune: (config, settings) => withPrimaryTimeouts(config, settings.timeoutMs),
  async exercise(context) {
    await context.stream('stream 1');
  },
  verify(observations) {
    const { primary, fallback, primarySettings } = observations;
    const request = requestAt(observations, 0);
    return [
      failedWithKind(
        request,
        primary,
        'timeout',
        `the first-token timeout fired (${primarySettings.firstTokenTimeoutMs} ms)`,
        (error) => error.timeout === 'first-token',
      ),
      failedOver(request, primary, fallback),
      check(
        'the stream completed from the fallback',
        request.answeredBy === fallback && request.finished && request.text.length > 0,
        `${request.label}: ${describeOutcome(request)}, ${request.finished ? 'finished' : 'not finished'}, ${request.text.length} characters`,
      ),
    ];
  },
};
