import type { FaultScenario } from '../types.js';
import { answeredBy, callsTo, check, describeFailure, failedOver, failuresOf, requestAt } from '../checks.js';

/** A key no provider accepts; not a secret, so it may appear in output. */
export const INVALID_KEY = 'sk-understudy-drill-invalid-key-0000';

/** The primary's key is rejected: no retry (it cannot help), the next provider answers. */
export const badKey: FaultScenario = {
  name: 'bad-key',
  summary: "the primary's key is rejected (401): no retry, the next provider answers",
  injection: {
    via: 'config',
    describe: "the primary's apiKey replaced by an invalid one (in memory)",
    override: async (primary) => ({ ...primary, apiKey: INVALID_KEY, apiKeyFile: undefined }),
  },
  async exercise(context) {
    await context.complete('request 1');
  },
  verify(observations) {
    const { primary, fallback } = observations;
    const request = requestAt(observations, 0);
    const first = failuresOf(request.events, primary)[0];
    const calls = callsTo(request.events, primary);
    return [
      check(
        'the rejection is provider-only with status 401',
        first?.class === 'provider-only' && first.status === 401,
        first ? describeFailure(first) : `${primary} did not fail: it accepted an invalid key`,
      ),
      check('no retry: exactly one call to the primary', calls === 1, `${calls} call(s) to ${primary}`),
      failedOver(request, primary, fallback),
      answeredBy(request, fallback, 'the next provider answered'),
    ];
  },
};
