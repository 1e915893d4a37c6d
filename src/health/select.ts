import type { ProviderConfig, UnderstudyConfig } from '../config/schema.js';

/** `--provider` named a provider the config does not have. */
export class UnknownProviderError extends Error {
  override readonly name = 'UnknownProviderError';
  constructor(
    readonly unknown: readonly string[],
    readonly known: readonly string[],
  ) {
    super(`unknown provider${unknown.length === 1 ? '' : 's'} ${unknown.map((name) => JSON.stringify(name)).join(', ')}; the config has ${known.join(', ')}`);
  }
}

/**
 * The providers to ping, in config order: all of them, or those `names` lists (each once).
 * Throws UnknownProviderError listing every name not in the config.
 */
export function selectProviders(config: UnderstudyConfig, names: readonly string[] = []): ProviderConfig[] {
  if (names.length === 0) return [...config.providers];
  const known = config.providers.map((provider) => provider.name);
  const unknown = [...new Set(names.filter((name) => !known.includes(name)))];
  if (unknown.length > 0) throw new UnknownProviderError(unknown, known);
  return config.providers.filter((provider) => names.includes(provider.name));
}
