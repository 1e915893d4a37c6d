import { registerSecret } from './secrets.js';
import { isPlainObject, type InterpolatedField } from './interpolate.js';

/**
 * Names of fields whose interpolated values are secrets: `apiKey`, `token`, `clientSecret`,
 * `password`, and webhook URLs (which carry their token in the path). Anchored at the end so
 * `firstTokenTimeoutMs` is not mistaken for a token, and `baseURL` is not a webhook: masking
 * a public base URL would blank it out of every report.
 */
const SECRET_FIELD = /(?:key|token|secret|password|credential)s?$|^(?:url|webhook\w*)$/i;

/**
 * Registers every secret the config holds, so every output path masks it: each provider's
 * `apiKey` and `headers` values however they were written, and the interpolated value (and
 * the variables that went into it) of any field whose name looks secret.
 */
export function registerConfigSecrets(config: unknown, interpolated: readonly InterpolatedField[]): void {
  const providers = isPlainObject(config) ? config['providers'] : undefined;
  if (Array.isArray(providers)) {
    for (const provider of providers) {
      if (!isPlainObject(provider)) continue;
      if (typeof provider['apiKey'] === 'string') registerSecret(provider['apiKey']);
      const headers = provider['headers'];
      if (isPlainObject(headers)) {
        for (const value of Object.values(headers)) if (typeof value === 'string') registerSecret(value);
      }
    }
  }
  for (const field of interpolated) {
    if (!looksSecret(field.path)) continue;
    registerSecret(field.value);
    for (const variable of field.variables) registerSecret(variable.value);
  }
}

function looksSecret(path: readonly PropertyKey[]): boolean {
  const name = path.at(-1);
  if (path.at(-2) === 'headers') return true;
  return typeof name === 'string' && SECRET_FIELD.test(name);
}
