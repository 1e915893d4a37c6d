import type { CheckKind } from '../engine/types.js';
import type { WatchRow } from './rows.js';
import type { WatchEvent } from './watch-events.js';

/**
 * What feeds the board and the plain/JSON output: rows and events, nothing engine-specific.
 * Today the local probe loop (`createProbeSource`); `watch --attach URL` will add a source fed by
 * a gateway's event stream without touching the UI.
 */
export interface HealthSource {
  /** A short description for the title: `probe GET /models every 5 s`. */
  readonly description: string;
  /** The rows and recent events as of now (countdowns are computed at this call). */
  snapshot(): HealthSnapshot;
  /** Called for every event and at the end of every probe round; returns the unsubscribe function. */
  subscribe(listener: (update: HealthUpdate) => void): () => void;
  /** What the user may do to this source; a read-only source leaves it out. */
  readonly controls?: HealthControls;
  /** Stops everything the source runs (timers, calls); idempotent. */
  close(): Promise<void>;
}

/** The interactive drill's actions. Providers are named, not numbered, so rows may reorder. */
export interface HealthControls {
  /** Probes every provider now, as half-open trials even where a breaker is open. */
  probeAll(): void;
  /** Forces the provider to fail, or restores it; resolves whether it is forced now. */
  toggleForced(provider: string): boolean;
  /** Closes the provider's breaker and clears its failure count. */
  resetBreaker(provider: string): void;
}

/** The board's data at one moment. */
export interface HealthSnapshot {
  readonly rows: readonly WatchRow[];
  /** The latest events, oldest first, at most a few dozen. */
  readonly events: readonly WatchEvent[];
  /** Where traffic would go now; undefined when every breaker is open. */
  readonly traffic?: string;
  /** Probe rounds finished so far. */
  readonly round: number;
  /** Wall-clock ms of the last finished round. */
  readonly lastRoundAt?: number;
}

/** One provider's outcome in one probe round. */
export interface ProbeOutcome {
  readonly provider: string;
  readonly outcome: 'success' | 'failure' | 'skipped';
  readonly ms: number;
  /** `503 server error`, for a failure. */
  readonly error?: string;
  /** Why it was skipped (`breaker open`). */
  readonly reason?: string;
}

/** A finished probe round. */
export interface RoundUpdate {
  readonly type: 'round';
  readonly round: number;
  /** Wall-clock ms the round finished. */
  readonly at: number;
  readonly kind: CheckKind;
  readonly outcomes: readonly ProbeOutcome[];
  /** The rows right after the round. */
  readonly rows: readonly WatchRow[];
  readonly traffic?: string;
}

export type HealthUpdate = RoundUpdate | { readonly type: 'event'; readonly event: WatchEvent };

/** A round is healthy when every provider answered its probe (a down backup is lost redundancy). */
export function roundIsHealthy(round: RoundUpdate): boolean {
  return round.outcomes.every((outcome) => outcome.outcome === 'success');
}
