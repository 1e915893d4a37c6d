import type { ProviderConfig, UnderstudyConfig } from './schema.js';
import { presets } from './presets.js';

/** A setting that works but defeats the failover pattern; `ping --strict` makes these failures. */
export interface ConfigWarning {
  /** A stable id, for tests and for anyone filtering them. */
  readonly code:
    | 'single-provider'
    | 'shared-host'
    | 'shared-key'
    | 'shared-vendor'
    | 'fallbacks-one-vendor'
    | 'long-timeout'
    | 'hair-trigger-breaker'
    | 'long-cooldown'
    | 'retries-exceed-deadline';
  /** The field path it is about (`providers[1].baseURL`), or '' for the config as a whole. */
  readonly path: string;
  readonly message: string;
}

const TEN_MINUTES = 10 * 60 * 1000;

// Hosts that belong to a vendor under another name: "different provider matters more than
// different model", and two names for one company share its outages.
const VENDOR_OF_HOST: ReadonlyArray<readonly [RegExp, string]> = [
  // Loopback presets (ollama) name no vendor: two local servers on different ports are told
  // apart by host:port, not lumped together.
  ...Object.values(presets)
    .flatMap(({ baseURL, vendor }) => (baseURL === undefined ? [] : [[new URL(baseURL).hostname, vendor] as const]))
    .filter(([hostname]) => !isLoopback(hostname))
    .map(([hostname, vendor]) => [new RegExp(`^${escape(hostname)}$`), vendor] as const),
  [/\.openai\.azure\.com$/, 'microsoft'],
  [/(^|\.)aiplatform\.googleapis\.com$/, 'google'],
  [/(^|\.)bedrock-runtime\..*\.amazonaws\.com$/, 'amazon'],
];

/**
 * Finds what makes a fallback list weaker than it looks: providers that share a failure domain
 * (host, key, vendor), and settings that defeat retry, breaker or deadline.
 */
export function configWarnings(config: UnderstudyConfig): ConfigWarning[] {
  return [...failureDomainWarnings(config.providers), ...settingWarnings(config)];
}

function failureDomainWarnings(providers: readonly ProviderConfig[]): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  if (providers.length === 1) {
    warnings.push({ code: 'single-provider', path: 'providers', message: 'one provider: there is nothing to fail over to' });
    return warnings;
  }
  providers.forEach((provider, index) => {
    for (let earlier = 0; earlier < index; earlier++) {
      const other = providers[earlier]!;
      const pair = `${other.name} and ${provider.name}`;
      if (hostOf(provider) && hostOf(provider) === hostOf(other)) {
        warnings.push({
          code: 'shared-host',
          path: `providers[${index}].baseURL`,
          message: `${pair} are the same host (${hostOf(provider)}): one outage takes both`,
        });
      } else if (vendorOf(provider) && vendorOf(provider) === vendorOf(other)) {
        warnings.push({
          code: 'shared-vendor',
          path: `providers[${index}]`,
          message: `${pair} are both ${vendorOf(provider)}: a different provider matters more than a different model`,
        });
      }
      if (provider.apiKey && provider.apiKey === other.apiKey) {
        warnings.push({
          code: 'shared-key',
          path: `providers[${index}].apiKey`,
          message: `${pair} use the same key: one revoked key or spent quota stops both`,
        });
      }
    }
  });
  const fallbackVendors = new Set(providers.slice(1).map((provider) => vendorOf(provider) ?? hostOf(provider)));
  if (providers.length > 2 && fallbackVendors.size === 1) {
    warnings.push({
      code: 'fallbacks-one-vendor',
      path: 'providers',
      message: `every fallback is on ${[...fallbackVendors][0]}: an outage there leaves only the primary`,
    });
  }
  return warnings;
}

function settingWarnings(config: UnderstudyConfig): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const scopes: Array<{ path: string; timeoutMs: number; threshold: number; cooldownMs: number }> = [
    { path: '', timeoutMs: config.timeoutMs, threshold: config.breaker.failureThreshold, cooldownMs: config.breaker.cooldownMs },
    ...config.providers.map((provider, index) => ({
      path: `providers[${index}].`,
      timeoutMs: provider.timeoutMs ?? Number.NaN,
      threshold: provider.breaker?.failureThreshold ?? Number.NaN,
      cooldownMs: provider.breaker?.cooldownMs ?? Number.NaN,
    })),
  ];
  for (const scope of scopes) {
    if (scope.timeoutMs > TEN_MINUTES) {
      warnings.push({ code: 'long-timeout', path: `${scope.path}timeoutMs`, message: 'longer than 10 minutes: a hung provider holds requests that long' });
    }
    if (scope.threshold === 1) {
      warnings.push({ code: 'hair-trigger-breaker', path: `${scope.path}breaker.failureThreshold`, message: 'a threshold of 1 opens the breaker on a single blip' });
    }
    if (scope.cooldownMs > TEN_MINUTES) {
      warnings.push({ code: 'long-cooldown', path: `${scope.path}breaker.cooldownMs`, message: 'over 10 minutes: a recovered provider stays unused that long' });
    }
  }
  // The hazard is one provider's retries eating the whole budget, so its fallbacks never get a turn.
  config.providers.forEach((provider, index) => {
    const worstCase = worstCaseMs(config, provider);
    if (index < config.providers.length - 1 && worstCase >= config.deadlineMs) {
      warnings.push({
        code: 'retries-exceed-deadline',
        path: `providers[${index}]`,
        message: `${provider.name}'s retries and timeouts can take ${Math.round(worstCase / 1000)} s, the whole ${Math.round(config.deadlineMs / 1000)} s deadline: its fallbacks may never be tried`,
      });
    }
  });
  return warnings;
}

/** Every attempt timing out and every backoff at its longest, on one provider. */
function worstCaseMs(config: UnderstudyConfig, provider: ProviderConfig): number {
  const retry = { ...config.retry, ...provider.retry };
  const timeoutMs = provider.timeoutMs ?? config.timeoutMs;
  let total = timeoutMs * (retry.maxRetries + 1);
  for (let attempt = 1; attempt <= retry.maxRetries; attempt++) {
    total += Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  }
  return total;
}

function hostOf(provider: ProviderConfig): string | undefined {
  try {
    return provider.baseURL ? new URL(provider.baseURL).host : undefined;
  } catch {
    return undefined;
  }
}

function vendorOf(provider: ProviderConfig): string | undefined {
  if (provider.preset) return presets[provider.preset]?.vendor;
  const hostname = hostOf(provider)?.replace(/:\d+$/, '');
  if (!hostname) return undefined;
  return VENDOR_OF_HOST.find(([pattern]) => pattern.test(hostname))?.[1];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]';
}
