import type { FaultScenario } from '../types.js';
import { answeredBy, failedOver, failedWithKind, requestAt } from '../checks.js';
import { closedPortBaseURL } from '../closed-port.js';

/** The primary's URL points at a port nothing listens on: connection refused, fail over. */
export const badUrl: FaultScenario = {
  name: 'bad-url',
  summary: "the primary's URL is unreachable (connection refused): fail over to the next provider",
  injection: {
    via: 'config',
    describe: "the primary's baseURL pointed at a closed port on 127.0.0.1 (in memory)",
    override: async (primary) => ({ ...primary, baseURL: await closedPortBaseURL(), preset: undefined }),
  },
  async exercise(context) {
    await context.complete('request 1');
  },
  verify(observations) {
    const { primary, fallback } = observations;
    const request = requestAt(observations, 0);
    return [
      failedWithKind(request, primary, 'connection', 'the failure is a connection error'),
      failedOver(request, primary, fallback),
      answeredBy(request, fallback, 'the next provider answered'),
    ];
  },
};
