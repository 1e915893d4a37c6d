import type { FaultScenario } from '../types.js';
import { failedOver, failedWithKind, requestAt } from '../checks.js';

/** A 200 that is not a completion, twice: an HTML page, then a body that is not JSON. */
export const malformed: FaultScenario = {
  name: 'malformed',
  summary: 'the primary answers 200 with an HTML page, then with broken JSON: each counts as a failure and fails over',
  injection: { via: 'proxy', fault: { type: 'html', status: 200 }, describe: 'completions to the primary answer 200 with an HTML page' },
  async exercise(context) {
    await context.complete('HTML page');
    // A fresh breaker for the second kind of garbage, so it reaches the primary rather than being skipped.
    context.engine.resetBreaker(context.primary);
    await context.setFault({ type: 'malformed-json' });
    context.step('inject: completions to the primary answer 200 with a body that is not JSON');
    await context.complete('broken JSON');
  },
  verify(observations) {
    const { primary, fallback } = observations;
    const html = requestAt(observations, 0);
    const json = requestAt(observations, 1);
    return [
      failedWithKind(html, primary, 'malformed', 'a 200 HTML page counts as a failure (malformed)'),
      failedOver(html, primary, fallback, 'failed over after the HTML page'),
      failedWithKind(json, primary, 'malformed', 'a 200 with broken JSON counts as a failure (malformed)'),
      failedOver(json, primary, fallback, 'failed over after the broken JSON'),
    ];
  },
};
