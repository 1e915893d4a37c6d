import type { UnderstudyConfig } from '../config/schema.js';
import type { SharedHealth } from '../engine/shared-health.js';

/** A command's membership in a fleet (config `state:`), or nothing when it runs alone. */
export interface FleetMembership {
  readonly shared: SharedHealth | undefined;
  /** Leaves the fleet; never waits on an unreachable Redis. */
  close(): Promise<void>;
}

/**
 * Joins the fleet the config names, so breakers are shared with every other instance. Redis is
 * an aid: this resolves within about a second even when Redis is down (the instance then runs
 * alone and joins when Redis appears). The Redis client is loaded only in fleet mode.
 */
export async function joinConfiguredFleet(config: UnderstudyConfig, log?: (line: string) => void): Promise<FleetMembership> {
  if (!config.state) return { shared: undefined, close: async () => {} };
  const { connectRedisHealth } = await import('../shared/redis-health.js');
  const health = await connectRedisHealth({
    url: config.state.redis,
    prefix: config.state.prefix,
    timeoutMs: config.state.timeoutMs,
    ...(log ? { log } : {}),
  });
  return { shared: health, close: () => health.close() };
}
