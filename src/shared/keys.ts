/**
 * Every Redis key and channel a fleet uses, in one place. `prefix` (e.g. `understudy:prod`)
 * keeps fleets apart in one Redis.
 *
 * | key / channel                      | holds                                               | expiry                         |
 * |------------------------------------|-----------------------------------------------------|--------------------------------|
 * | `<prefix>:breaker:<provider>`      | JSON envelope of the open change (see `envelope.ts`) | retryAt + a stale margin; deleted when the breaker closes |
 * | `<prefix>:trial:<provider>`        | id of the instance running the half-open trial      | the trial's timeout; released with its verdict |
 * | `<prefix>:instances:<instanceId>`  | JSON heartbeat of a live instance                   | a few heartbeat intervals      |
 * | `<prefix>:hedges:<window>`         | hash of the fleet's requests and hedges in one window | three windows                  |
 * | `<prefix>:breaker-changes` (channel) | JSON envelope of every open/close                  | —                              |
 */
export interface FleetKeys {
  breaker(provider: string): string;
  trial(provider: string): string;
  instance(instanceId: string): string;
  /** The fleet's hedge ledger for one counting window (a hash: requests, hedges). */
  hedgeWindow(window: number): string;
  /** A SCAN pattern for every breaker key of this fleet only. */
  readonly breakerPattern: string;
  /** A SCAN pattern for every heartbeat key of this fleet only. */
  readonly instancePattern: string;
  readonly breakerPrefix: string;
  readonly instancePrefix: string;
  readonly changesChannel: string;
}

/** The key names for fleet `prefix`. */
export function fleetKeys(prefix: string): FleetKeys {
  const breakerPrefix = `${prefix}:breaker:`;
  const instancePrefix = `${prefix}:instances:`;
  return {
    breaker: (provider) => breakerPrefix + provider,
    trial: (provider) => `${prefix}:trial:${provider}`,
    instance: (instanceId) => instancePrefix + instanceId,
    hedgeWindow: (window) => `${prefix}:hedges:${window}`,
    // A prefix may hold glob characters; escaped, it matches only itself.
    breakerPattern: `${escapeGlob(breakerPrefix)}*`,
    instancePattern: `${escapeGlob(instancePrefix)}*`,
    breakerPrefix,
    instancePrefix,
    changesChannel: `${prefix}:breaker-changes`,
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
