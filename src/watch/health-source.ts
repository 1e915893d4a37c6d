import type { CheckKind } from '../engine/types.js';
import type { WatchRow } from './rows.js';
import type { WatchEvent } from './watch-events.js';

/**
 * What feeds the board and the plain/JSON output: rows and events, nothing engine-specific.
 * The local probe loop (`createProbeSource`), or, with `watch --attach`, a gateway's event
 * stream (`createGatewaySource`) or a fleet's shared keys in Redis (`createFleetSource`).
 */
export interface HealthSource {
  /** A short description for the title: `probe GET /models every 5 s`. */
  readonly description: string;
  /**
   * What an attached source watches from outside (`http://127.0.0.1:4141`): set, the board says
   * "attached to …" and that p, f and r are not available. Undefined for the local probe.
   */
  readonly attached?: string;
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
  /** An attached source's link to what it watches. */
  readonly link?: LinkStatus;
  /** A fleet's live instances (their heartbeats), oldest first. */
  readonly instances?: readonly InstanceView[];
}

/** Whether an attached source reaches what it watches; while it does not, its rows are the last known. */
export interface LinkStatus {
  readonly state: 'connecting' | 'connected' | 'disconnected';
  /** Wall-clock ms it entered this state. */
  readonly since: number;
  /** Why it is down (`connection refused`, `401 from the gateway`). */
  readonly detail?: string;
  /** While disconnected: wall-clock ms of the next attempt. */
  readonly retryAt?: number;
}

/** A live member of a fleet, as its heartbeat says. */
export interface InstanceView {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  /** Wall-clock ms. */
  readonly startedAt: number;
  readonly seenAt: number;
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

/**
 * An attached source caught up with what it watches: a gateway's snapshot on (re)connecting, or
 * one poll of a fleet's keys. What `--once` waits for when attached.
 */
export interface SyncUpdate {
  readonly type: 'sync';
  /** Syncs so far, this one included. */
  readonly sync: number;
  /** Wall-clock ms. */
  readonly at: number;
  /** `gateway` or `fleet`. */
  readonly from: 'gateway' | 'fleet';
  /** The rows right after the sync. */
  readonly rows: readonly WatchRow[];
  readonly traffic?: string;
  /** Whether the failover order is known, so `traffic` undefined means nowhere (a fleet watched without its config knows no order). */
  readonly trafficKnown: boolean;
  readonly instances?: readonly InstanceView[];
}

/** The rows changed with nothing worth a line (a request's latency, a retry countdown): the board redraws, the lines skip it. */
export interface ChangedUpdate {
  readonly type: 'changed';
}

export type HealthUpdate = RoundUpdate | SyncUpdate | ChangedUpdate | { readonly type: 'event'; readonly event: WatchEvent };

/** A sync is healthy when every breaker is closed: an open or half-open one is a provider in trouble. */
export function syncIsHealthy(sync: SyncUpdate): boolean {
  return sync.rows.every((row) => row.breaker === 'closed');
}

/** A round is healthy when every provider answered its probe (a down backup is lost redundancy). */
export function roundIsHealthy(round: RoundUpdate): boolean {
  return round.outcomes.every((outcome) => outcome.outcome === 'success');
}
