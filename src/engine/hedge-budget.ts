/**
 * Where hedges are paid from: every request earns a fraction of a token, every hedge spends a
 * whole one, so hedges stay under `maxExtraPercent` of requests however slow the providers get
 * (a fleet-wide slowdown must not turn into doubled traffic, a retry storm by another name).
 */
export interface HedgeBudget {
  /** One request started: its share of a hedge is earned. */
  earn(): void;
  /** Spends one hedge; false when the budget has none left. */
  spend(): boolean;
}

/**
 * The budget of one instance. It starts empty, so hedges never exceed `maxExtraPercent` of the
 * requests seen (at 5%, the first hedge is possible at the 20th request), and holds at most
 * `burst` hedges, so a quiet hour cannot be saved up for a storm.
 */
export class TokenBucket implements HedgeBudget {
  // Counted in hundredths of a percent of a hedge, integers, so twenty tenths make exactly one.
  private units = 0;
  private readonly perRequest: number;
  private readonly burst: number;

  constructor(maxExtraPercent: number) {
    this.perRequest = Math.round(maxExtraPercent * 100);
    this.burst = Math.max(1, Math.ceil(maxExtraPercent)) * HEDGE;
  }

  earn(): void {
    if (this.units < this.burst) this.units = Math.min(this.burst, this.units + this.perRequest);
  }

  spend(): boolean {
    if (this.units < HEDGE) return false;
    this.units -= HEDGE;
    return true;
  }
}

/** One hedge, in the bucket's units. */
const HEDGE = 10_000;
