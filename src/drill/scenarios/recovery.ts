import type { FaultScenario } from '../types.js';
import { answeredBy, breakerTrail, breakerWent, check, describeOutcome, eventsOf } from '../checks.js';
import { sendUntilPrimaryOpens } from './send-until-open.js';

/** A little past the breaker's retry time, so the next request finds it due for a trial. */
const PAST_COOL_DOWN_MS = 25;

/** The primary is down, then healed: after the cool-down a half-open trial brings traffic back. */
export const recovery: FaultScenario = {
  name: 'recovery',
  summary: 'the primary is down, then healed: after the cool-down a trial succeeds and traffic returns to it',
  injection: { via: 'proxy', fault: { type: 'status', status: 503 }, describe: 'completions to the primary answer 503 until healed' },
  async exercise(context) {
    await sendUntilPrimaryOpens(context, 'while down');
    await context.complete('while the breaker is open');
    await context.clearFault();
    context.mark('faultRemoved');
    const retryAt = context.engine.state().find((provider) => provider.name === context.primary)?.retryAt;
    const waitMs = retryAt === undefined ? context.settings.cooldownMs : Math.max(0, retryAt - context.now());
    context.step(`restore: fault removed; waiting ${Math.round(waitMs)} ms for the cool-down`);
    await context.wait(waitMs + PAST_COOL_DOWN_MS);
    await context.complete('half-open trial');
    await context.complete('after recovery');
  },
  verify(observations) {
    const { primary, fallback } = observations;
    const removedAt = observations.marks['faultRemoved'] ?? Number.POSITIVE_INFINITY;
    const down = observations.requests.filter((record) => record.startedAt < removedAt);
    const after = observations.requests.filter((record) => record.startedAt >= removedAt);
    const trial = after[0];
    const last = after.at(-1);
    const recovered = eventsOf(observations.events, 'recovered', primary)[0];
    return [
      check(
        'while the primary was down, the fallback answered',
        down.length > 0 && down.every((record) => record.answeredBy === fallback),
        down.map((record) => `${record.label}: ${describeOutcome(record)}`).join('; ') || 'no request was sent while down',
      ),
      check(
        "the primary's breaker opened, went half-open after the cool-down, and closed",
        breakerWent(observations.events, primary, ['open', 'half-open', 'closed']),
        breakerTrail(observations.events, primary),
      ),
      trial ? answeredBy(trial, primary, 'the half-open trial went to the primary and succeeded') : check('the half-open trial went to the primary and succeeded', false, 'no request after the fault was removed'),
      check(
        `the engine reported ${primary} recovered`,
        recovered !== undefined,
        recovered ? `recovered after ${Math.round(recovered.downForMs)} ms down` : 'no recovered event',
      ),
      last ? answeredBy(last, primary, 'the next answers come from the primary') : check('the next answers come from the primary', false, 'no request after recovery'),
    ];
  },
};
