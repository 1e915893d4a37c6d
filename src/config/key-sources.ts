import { isPlainObject, type InterpolatedField } from './interpolate.js';
import type { ConfigIssue } from './normalize.js';

/** Where one provider's key came from: the variable it was read from, or the file. */
export interface KeySource {
  env?: string;
  file?: string;
}

/** Key sources by provider name; `undefined` for a key written in the config, or none. */
export type KeySources = Record<string, KeySource | undefined>;

/**
 * Records where each provider's key came from, so `ping` can say "the key in OPENAI_API_KEY
 * was rejected" instead of leaving the user to guess. Also reports a key that came from an
 * environment variable set to the empty string: a CI secret that is not configured is often
 * passed as "", and the provider's 401 would hide the real cause.
 */
export function collectKeySources(
  config: unknown,
  interpolated: readonly InterpolatedField[],
  keyFiles: ReadonlyMap<number, string>,
): { keySources: KeySources; issues: ConfigIssue[] } {
  const keySources: KeySources = {};
  const issues: ConfigIssue[] = [];
  const providers = isPlainObject(config) ? config['providers'] : undefined;
  if (!Array.isArray(providers)) return { keySources, issues };
  providers.forEach((provider: unknown, index) => {
    if (!isPlainObject(provider)) return;
    const file = keyFiles.get(index);
    const field = interpolated.find(
      ({ path }) => path.length === 3 && path[0] === 'providers' && path[1] === index && path[2] === 'apiKey',
    );
    const variable = field?.variables[0]?.name;
    if (field && !field.failed && field.value === '' && variable !== undefined) {
      issues.push({ path: `providers[${index}].apiKey`, message: `environment variable ${variable} is empty` });
    }
    const name = provider['name'];
    if (typeof name !== 'string') return;
    keySources[name] = file !== undefined ? { file } : variable !== undefined ? { env: variable } : undefined;
  });
  return { keySources, issues };
}
