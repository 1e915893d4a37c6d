import type { UnderstudyConfig } from '../../config/schema.js';
import type { CheckOutcome } from '../../report/check-result.js';
import { formatMs, percentile } from '../../report/view-model.js';
import { check } from '../checks.js';
import type { FaultScope } from '../../mock/faults.js';
import type { FaultScenario, Observations, RequestRecord, ScenarioContext } from '../types.js';

/** How much slower than steady state a slow answer is (the "20 s instead of 2"). */
const SLOWDOWN = 10;
/**
 * A slow answer is never faster than this: an offline mock answers in a millisecond or two, and
 * 10x that is jitter, not a slowdown anyone could hedge against.
 */
const MIN_SLOW_MS = 250;
/** Requests judged after the warm-up. */
const MEASURED = 40;
/** The hedge budget when only `onSlow: hedge` asks for hedging (the engine's default). */
const DEFAULT_MAX_EXTRA_PERCENT = 5;

const WARM_UP = 'warm-up';
const STEADY = 'steady';
const STEADY_REQUESTS = 3;

/** Whether the config has anything that answers slowness: a hedge block, or a slowMs anywhere. */
function handlesSlowness(config: UnderstudyConfig): boolean {
  return config.hedge !== undefined || config.slowMs !== undefined || config.providers.some((provider) => provider.slowMs !== undefined);
}

/**
 * The slow answer time: 10x the primary's steady state, measured by the scenario's first
 * requests before the fault (warm connections, unlike a drill's very first call), and at least
 * MIN_SLOW_MS.
 */
function slowMsOf(requests: readonly RequestRecord[]): number {
  const steady = requests.filter((request) => request.label.startsWith(STEADY)).map((request) => request.endedAt - request.startedAt);
  return Math.max(MIN_SLOW_MS, Math.round(SLOWDOWN * (percentile(steady, 50) ?? 0)));
}

/**
 * Steady-state requests with nothing broken; then the fault; then `latency.minSamples` requests
 * (a detector needs that many samples before it can call anything slow: that warm-up is reported
 * but not judged); then the measured requests, one at a time.
 */
async function run(context: ScenarioContext, scope: FaultScope, what: string): Promise<void> {
  const steady: RequestRecord[] = [];
  for (let index = 1; index <= STEADY_REQUESTS; index++) steady.push(await context.complete(`${STEADY} ${index}`));
  const slowMs = slowMsOf(steady);
  await context.setFault({ type: 'slow-first-token', delayMs: slowMs }, scope);
  context.step(`${what} of ${context.primary} takes ${formatMs(slowMs)}`);
  for (let index = 1; index <= context.config.latency.minSamples; index++) await context.complete(`${WARM_UP} ${index}`);
  for (let index = 1; index <= MEASURED; index++) await context.complete(`request ${index}`);
}

/**
 * The verdicts both scenarios share: every request answered, the caller's p95 over the measured
 * requests within `drill.maxP95Ms` (default: half the slow answer time, so hedging or skipping
 * must spare most callers the slowdown), and hedges within the budget.
 */
function verifySlow(observations: Observations): CheckOutcome[] {
  const { requests, config, events } = observations;
  const slowMs = slowMsOf(requests);
  const measured = requests.filter((request) => request.label.startsWith('request'));
  const unanswered = requests.filter((request) => request.answeredBy === undefined);
  const p95 = percentile(
    measured.map((request) => request.endedAt - request.startedAt),
    95,
  );
  const maxP95Ms = config.drill.maxP95Ms ?? Math.round(slowMs / 2);
  const hedges = events.filter((event) => event.type === 'hedge').length;
  const percent = config.hedge?.maxExtraPercent ?? DEFAULT_MAX_EXTRA_PERCENT;
  // The engine's bucket starts empty and earns `percent` of a hedge per request.
  const allowed = Math.floor((requests.length * percent) / 100);
  const warmUp = requests.filter((request) => request.label.startsWith(WARM_UP)).length;
  return [
    check('every request was answered', unanswered.length === 0 && measured.length === MEASURED, `${requests.length - unanswered.length} of ${requests.length} answered`),
    check(
      `the caller's p95 stayed within ${formatMs(maxP95Ms)}`,
      p95 !== undefined && p95 <= maxP95Ms,
      `p95 ${p95 === undefined ? '—' : formatMs(p95)} over ${measured.length} requests after a warm-up of ${warmUp}; slow answers took ${formatMs(slowMs)}`,
    ),
    check(
      `extra requests stayed within the hedge budget (${percent}%)`,
      hedges <= allowed,
      `${hedges} hedge${hedges === 1 ? '' : 's'} for ${requests.length} requests (at most ${allowed})`,
    ),
  ];
}

const common = {
  note: 'runs only when hedge or slowMs is configured',
  appliesTo: handlesSlowness,
  verify: verifySlow,
} as const;

/** Every answer of the primary is slow: it must be skipped (onSlow: skip) or hedged past. */
export const slowPrimary: FaultScenario = {
  name: 'slow-primary',
  summary: "every answer of the primary comes 10x slower than in steady state: the caller's p95 stays within drill.maxP95Ms, hedges within the budget",
  ...common,
  injection: {
    via: 'proxy',
    // No delay yet: the scenario measures the steady state first, then sets the real one.
    fault: { type: 'slow-first-token', delayMs: 0 },
    describe: "the primary's answers come 10x slower than in steady state",
  },
  exercise: (context) => run(context, {}, 'every answer'),
};

/** One answer in ten is slow: the tail the hedge is for. */
export const slowTail: FaultScenario = {
  name: 'slow-tail',
  summary: "one answer in ten of the primary comes 10x slower than in steady state: the caller's p95 stays within drill.maxP95Ms, hedges within the budget",
  ...common,
  injection: {
    via: 'proxy',
    // No delay yet: the scenario measures the steady state first, then sets the real one.
    fault: { type: 'slow-first-token', delayMs: 0 },
    describe: "one answer in ten of the primary comes 10x slower than in steady state",
  },
  exercise: (context) => run(context, { every: 10 }, 'one answer in ten'),
};
