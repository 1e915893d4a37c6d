/**
 * understudy as a library: `createEngine(config).complete(request)` / `.stream(request)`.
 */
export { createEngine, type EngineOptions } from './engine/engine.js';
export { AllProvidersFailed, RequestFailed } from './engine/errors.js';
export { systemClock, type Clock } from './engine/clock.js';
export { Cancellation } from './engine/cancellation.js';
export { StreamChunk } from './engine/stream-chunk.js';
export type * from './engine/types.js';
export { defineConfig } from './config/schema.js';
export type { UnderstudyConfig, UnderstudyConfigInput, ProviderConfig, ProviderConfigInput } from './config/schema.js';
export { ConfigError } from './config/normalize.js';
export { presets } from './config/presets.js';
export type { SharedHealth, SharedBreakerChange } from './engine/shared-health.js';
export { instrument, type InstrumentOptions, type Uninstrument } from './telemetry/instrument.js';
export { attachAlerts, sendTestAlerts, checkSinkReachable, type AlertsHandle, type Alert } from './alerts/index.js';
// Heavier parts have their own entry points, so importing the engine does not load them:
// `understudy/fleet` (Redis), `understudy/gateway` (serve), `understudy/mock` (test providers).
