import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isPlainObject } from './interpolate.js';
import type { ConfigIssue } from './normalize.js';

/** The config with every `apiKeyFile` replaced by the `apiKey` read from it. */
export interface KeyFilesResult {
  readonly value: unknown;
  readonly issues: readonly ConfigIssue[];
  /** Absolute path of the key file, by provider index. */
  readonly files: ReadonlyMap<number, string>;
}

/**
 * Reads each provider's `apiKeyFile` (relative to the config file's directory, `~/` for home)
 * into `apiKey`, because the engine only reads `apiKey`. Surrounding whitespace is trimmed: a
 * key never contains any, and a trailing newline from `echo key > file` must not reach the
 * provider. A provider that gives both fields is left alone for validation to report, and so
 * is a path whose `${VAR}` failed (`skip`, by field path): it is already reported, and reading
 * the half-built path would only add a confusing second error.
 */
export async function readKeyFiles(
  config: unknown,
  baseDir: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<KeyFilesResult> {
  const issues: ConfigIssue[] = [];
  const files = new Map<number, string>();
  if (!isPlainObject(config) || !Array.isArray(config['providers'])) return { value: config, issues, files };
  const providers = await Promise.all(
    config['providers'].map(async (provider: unknown, index) => {
      if (!isPlainObject(provider)) return provider;
      const { apiKeyFile, ...rest } = provider;
      const fieldPath = `providers[${index}].apiKeyFile`;
      if (typeof apiKeyFile !== 'string' || provider['apiKey'] !== undefined || skip.has(fieldPath)) return provider;
      const file = resolveKeyPath(apiKeyFile, baseDir);
      let key: string;
      try {
        key = (await readFile(file, 'utf8')).trim();
      } catch (error) {
        const code = (error as { code?: string }).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
        issues.push({ path: fieldPath, message: `cannot read key file ${file} (${why})` });
        return provider;
      }
      if (key === '') {
        issues.push({ path: fieldPath, message: `key file ${file} is empty` });
        return provider;
      }
      files.set(index, file);
      return { ...rest, apiKey: key };
    }),
  );
  return { value: { ...config, providers }, issues, files };
}

/** A path from the config: relative to the config file's directory, `~/` for home. */
export function resolveKeyPath(file: string, baseDir: string): string {
  if (file === '~' || file.startsWith('~/')) return path.join(os.homedir(), file.slice(1));
  return path.resolve(baseDir, file);
}
