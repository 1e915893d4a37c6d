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
  if (isPlainObject(config)) registerSectionSecrets(config);
  for (const field of interpolated) {
    if (!looksSecret(field.path)) continue;
    registerSecret(field.value);
    for (const variable of field.variables) registerSecret(variable.value);
  }
}

function looksSecret(path: readonly PropertyKey[]): boolean {
  const name = path.at(-1);
  if (path.at(-2) === 'headers') return true;
  return typeof name === 'string' && isSecretFieldName(name);
}

/** Whether a field of this name holds a secret (`apiKey`, `token`, a webhook `url`, ...). */
export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/**
 * Secrets outside the providers, however they were written: webhook URLs (their token is in the
 * path) and header values of alert sinks, gateway client tokens, and a Redis URL's password.
 */
function registerSectionSecrets(config: Record<string, unknown>): void {
  const alerts = config['alerts'];
  if (Array.isArray(alerts)) {
    for (const sink of alerts) {
      if (!isPlainObject(sink)) continue;
      if (typeof sink['url'] === 'string') registerSecret(sink['url']);
      const headers = sink['headers'];
      if (isPlainObject(headers)) for (const value of Object.values(headers)) if (typeof value === 'string') registerSecret(value);
    }
  }
  const serve = config['serve'];
  const tokens = isPlainObject(serve) ? serve['tokens'] : undefined;
  if (Array.isArray(tokens)) for (const token of tokens) if (typeof token === 'string') registerSecret(token);
  const state = config['state'];
  const redis = isPlainObject(state) ? state['redis'] : undefined;
  if (typeof redis === 'string') {
    try {
      const password = new URL(redis).password;
      if (password) {
        registerSecret(decodeURIComponent(password));
        registerSecret(redis);
      }
    } catch {
      // Not a URL: validation reports it.
    }
  }
}
