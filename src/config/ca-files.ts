import { CertificateFileError, readCertificates } from '../net/certificates.js';
import { isPlainObject } from './interpolate.js';
import { resolveKeyPath } from './key-files.js';
import type { ConfigIssue } from './normalize.js';

/**
 * Makes each provider's `ca` an absolute path (relative to the config file's directory, like
 * `apiKeyFile`) and checks now that it holds certificates, so a wrong path is a config error
 * naming the field and the file at start-up rather than a TLS failure at the first request.
 * A path whose `${VAR}` failed (`skip`) is already reported and left alone.
 */
export function resolveCaFiles(
  config: unknown,
  baseDir: string,
  skip: ReadonlySet<string> = new Set(),
): { value: unknown; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  if (!isPlainObject(config) || !Array.isArray(config['providers'])) return { value: config, issues };
  const providers = config['providers'].map((provider: unknown, index) => {
    if (!isPlainObject(provider) || typeof provider['ca'] !== 'string' || provider['ca'] === '') return provider;
    const fieldPath = `providers[${index}].ca`;
    if (skip.has(fieldPath)) return provider;
    const file = resolveKeyPath(provider['ca'], baseDir);
    try {
      readCertificates(file);
    } catch (error) {
      if (!(error instanceof CertificateFileError)) throw error;
      issues.push({ path: fieldPath, message: error.message });
    }
    return { ...provider, ca: file };
  });
  return { value: { ...config, providers }, issues };
}
