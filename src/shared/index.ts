/** Shared health for a fleet of instances through Redis (fleet mode). */
export { connectRedisHealth, type RedisHealth, type RedisHealthOptions } from './redis-health.js';
export { sharedStateSchema, type SharedStateConfig, type SharedStateConfigInput } from '../config/schema.js';
export { listInstances, readFleetBreakers, type FleetBreaker, type FleetInstance } from './fleet-view.js';
export { fleetKeys, type FleetKeys } from './keys.js';
