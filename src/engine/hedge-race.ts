import type { EngineContext, RequestRun } from './context.js';
import { cancelLeg, settleLeg, type Leg, type LegOutcome } from './attempt-leg.js';

/**
 * Runs `first` alone until `afterMs`; if it has not committed by then, `launchHedge` sends the
 * same request to another provider (or declines: no budget, no healthy provider) and the two
 * race. The first to commit wins and the other is aborted at once. A failure of one leaves the
 * other running; a fatal failure (the request itself is bad, the caller aborted) ends both.
 * When both fail, the first call's failure is returned, so failover goes on as without a hedge.
 */
export async function raceWithHedge<T>(
  context: EngineContext,
  run: RequestRun,
  first: Leg<T>,
  afterMs: number,
  launchHedge: () => Leg<T> | undefined,
  countsInvalidOutput: boolean,
): Promise<LegOutcome<T>> {
  let cancelTimer = () => {};
  const hedgeDue = new Promise<undefined>((resolve) => {
    cancelTimer = context.clock.setTimeout(() => resolve(undefined), afterMs);
  });
  const early = await Promise.race([first.result, hedgeDue]);
  cancelTimer();
  if (early) return settleLeg(context, run, first, early, countsInvalidOutput);
  const second = launchHedge();
  if (!second) return settleLeg(context, run, first, await first.result, countsInvalidOutput);

  const done = await Promise.race([first, second].map((leg) => leg.result.then((result) => ({ leg, result }))));
  const other = done.leg === first ? second : first;
  if (done.result.ok) return win(context, run, done.leg, other, done.result, countsInvalidOutput);
  const failed = settleLeg(context, run, done.leg, done.result, countsInvalidOutput);
  if (failed.answer || failed.error.class === 'fatal') {
    cancelLeg(context, run, other);
    return failed;
  }
  const last = await other.result;
  if (last.ok) return win(context, run, other, undefined, last, countsInvalidOutput);
  const lastFailed = settleLeg(context, run, other, last, countsInvalidOutput);
  if (lastFailed.answer || lastFailed.error.class === 'fatal') return lastFailed;
  return done.leg === first ? failed : lastFailed;
}

/** The loser is aborted before the winner is booked, so the answering call is the last attempt. */
function win<T>(
  context: EngineContext,
  run: RequestRun,
  winner: Leg<T>,
  loser: Leg<T> | undefined,
  result: { readonly ok: true; readonly value: T },
  countsInvalidOutput: boolean,
): LegOutcome<T> {
  if (loser) cancelLeg(context, run, loser);
  run.wonBy = winner.hedge ? 'hedge' : 'original';
  return settleLeg(context, run, winner, result, countsInvalidOutput);
}
