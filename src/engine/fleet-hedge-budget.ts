import type { Clock } from './clock.js';
import { TokenBucket, type HedgeBudget } from './hedge-budget.js';
import type { HedgeTotals, SharedHealth } from './shared-health.js';

/** How often an instance adds its counts to the fleet's and reads the totals back. */
const SYNC_MS = 1_000;
/** The fleet's counting window: totals cover the current and the previous one. */
const WINDOW_MS = 10_000;

/**
 * The hedge budget of a fleet (fleet mode): hedges across every instance stay under
 * `maxExtraPercent` of the requests across every instance, so a slowdown seen by the whole
 * fleet cannot double its traffic either. Spending never waits on the store: each instance
 * decides from the fleet's totals as last read (at most about a second old, refreshed by its own
 * traffic) plus what it counted since. Until the first totals arrive, or while the store cannot
 * be asked, it spends from its own bucket, as an instance alone would.
 */
export class FleetHedgeBudget implements HedgeBudget {
  private readonly alone: TokenBucket;
  private readonly share: number;
  private fleet: HedgeTotals | undefined;
  private requests = 0;
  private hedges = 0;
  private syncing = false;
  private lastSync = Number.NEGATIVE_INFINITY;

  constructor(
    maxExtraPercent: number,
    private readonly shared: Required<Pick<SharedHealth, 'countHedges'>>,
    private readonly clock: Clock,
  ) {
    this.alone = new TokenBucket(maxExtraPercent);
    this.share = maxExtraPercent / 100;
  }

  earn(): void {
    this.alone.earn();
    this.requests++;
    this.sync();
  }

  spend(): boolean {
    if (!this.fleet) {
      if (!this.alone.spend()) return false;
      this.hedges++;
      return true;
    }
    const requests = this.fleet.requests + this.requests;
    const hedges = this.fleet.hedges + this.hedges;
    if (hedges + 1 > requests * this.share) return false;
    this.hedges++;
    return true;
  }

  /** Sends the counts since the last sync and takes the fleet's totals, at most once per SYNC_MS. */
  private sync(): void {
    const now = this.clock.now();
    if (this.syncing || now - this.lastSync < SYNC_MS) return;
    this.syncing = true;
    this.lastSync = now;
    const requests = this.requests;
    const hedges = this.hedges;
    this.requests = 0;
    this.hedges = 0;
    this.shared.countHedges(requests, hedges, WINDOW_MS).then(
      (totals) => {
        this.fleet = totals;
        this.syncing = false;
      },
      () => {
        this.fleet = undefined;
        this.syncing = false;
      },
    );
  }
}
