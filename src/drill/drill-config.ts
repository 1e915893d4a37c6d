import type { ProviderConfig, UnderstudyConfig } from '../config/schema.js';
import type { DrillSettings } from './types.js';

/** Defaults that keep a whole offline drill to a few seconds. */
export const DEFAULT_DRILL_SETTINGS: DrillSettings = { cooldownMs: 600, timeoutMs: 500 };

/**
 * Backoff short enough that a drill's retries cost milliseconds. The Retry-After cap stays
 * above one second so the rate-limit scenario's `Retry-After: 1` is honoured, not skipped.
 */
const DRILL_RETRY_TIMING = { baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 1_500 } as const;

/**
 * The user's config with the drill's short times, in memory only (the file is never touched).
 * What the user chose about behaviour — retries, thresholds, failure classes, mid-stream policy —
 * is kept, because that is what the drill proves. Provider-level timing overrides are replaced
 * too, since they would otherwise win over the drill's. The background probe is off: in a drill
 * the requests alone must drive the breaker, so what the checks see is what the requests did.
 */
export function drillConfig(config: UnderstudyConfig, settings: DrillSettings): UnderstudyConfig {
  const breakerTiming = {
    cooldownMs: settings.cooldownMs,
    maxCooldownMs: settings.cooldownMs * 4,
    providerErrorCooldownMs: settings.cooldownMs,
  };
  return {
    ...config,
    probe: { ...config.probe, intervalMs: 0 },
    retry: { ...config.retry, ...DRILL_RETRY_TIMING },
    breaker: { ...config.breaker, ...breakerTiming },
    providers: config.providers.map((provider) => ({
      ...provider,
      ...(provider.retry ? { retry: { ...provider.retry, ...DRILL_RETRY_TIMING } } : {}),
      ...(provider.breaker ? { breaker: { ...provider.breaker, ...breakerTiming } } : {}),
    })),
  };
}

/** The config with the primary (the first provider) changed by `patch`. */
export function withPrimary(config: UnderstudyConfig, patch: (primary: ProviderConfig) => ProviderConfig): UnderstudyConfig {
  const [primary, ...rest] = config.providers;
  if (!primary) return config;
  return { ...config, providers: [patch(primary), ...rest] };
}

/** The primary's three timeouts set to `ms`: the timeout scenarios' tuning. Fallbacks keep theirs. */
export function withPrimaryTimeouts(config: UnderstudyConfig, ms: number): UnderstudyConfig {
  return withPrimary(config, (primary) => ({ ...primary, timeoutMs: ms, firstTokenTimeoutMs: ms, idleTimeoutMs: ms }));
}

/** The primary's effective settings, as the engine will apply them (provider overrides over globals). */
export function primarySettingsOf(config: UnderstudyConfig): {
  maxRetries: number;
  failureThreshold: number;
  timeoutMs: number;
  firstTokenTimeoutMs: number;
} {
  const primary = config.providers[0];
  return {
    maxRetries: primary?.retry?.maxRetries ?? config.retry.maxRetries,
    failureThreshold: primary?.breaker?.failureThreshold ?? config.breaker.failureThreshold,
    timeoutMs: primary?.timeoutMs ?? config.timeoutMs,
    firstTokenTimeoutMs: primary?.firstTokenTimeoutMs ?? config.firstTokenTimeoutMs,
  };
}
