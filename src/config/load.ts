import path from 'node:path';
import { resolveCaFiles } from './ca-files.js';
import { interpolateTree } from './interpolate.js';
import { loadConfigFile, searchConfig } from './find.js';
import { readKeyFiles } from './key-files.js';
import { collectKeySources, type KeySources } from './key-sources.js';
import { ConfigError, normalizeConfig, type ConfigIssue } from './normalize.js';
import type { UnderstudyConfig, UnderstudyConfigInput } from './schema.js';
import { registerConfigSecrets } from './secret-fields.js';
import { maskSecrets } from './secrets.js';
import { configWarnings, type ConfigWarning } from './warnings.js';

/** A config read from disk, validated, with every default filled in. */
export interface LoadedConfig {
  config: UnderstudyConfig;
  /** The file it came from. */
  filepath: string | undefined;
  /** Where each provider's key came from (by provider name), for hints when a key is rejected. */
  keySources: KeySources;
  /** Settings that work but weaken failover (shared failure domains, hair-trigger breakers, ...). */
  warnings: ConfigWarning[];
}

/** Where to look for the config and which environment to interpolate from. */
export interface LoadConfigOptions {
  /** Load exactly this file (relative to `cwd`) instead of searching. */
  configPath?: string;
  /** Where the search starts; default `process.cwd()`. */
  cwd?: string;
  /** Read by `${VAR}` references; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Finds (or opens) the config, interpolates `${VAR}` references, reads `apiKeyFile`s,
 * registers every secret for masking, then validates. Every problem found along the way is
 * thrown together as one ConfigError naming the file and each field, never a secret's value.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const { config: raw, filepath } = options.configPath
    ? await loadConfigFile(path.resolve(cwd, options.configPath))
    : await searchConfig(cwd);

  const interpolated = interpolateTree(raw, env);
  const failedFields = new Set(interpolated.issues.map((issue) => issue.path));
  const withCa = resolveCaFiles(interpolated.value, path.dirname(filepath), failedFields);
  const withKeys = await readKeyFiles(withCa.value, path.dirname(filepath), failedFields);
  // Before validation, so even an error message about this very config is masked.
  registerConfigSecrets(withKeys.value, interpolated.fields);
  const sources = collectKeySources(withKeys.value, interpolated.fields, withKeys.files);

  const issues: ConfigIssue[] = [...interpolated.issues, ...withCa.issues, ...withKeys.issues, ...sources.issues];
  let config: UnderstudyConfig | undefined;
  try {
    config = normalizeConfig(withKeys.value as UnderstudyConfigInput, filepath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A field whose reference failed was validated as a partial value; the schema's complaint
    // about it ("too short") would only distract from the real cause already listed.
    const alreadyReported = new Set(issues.map((issue) => issue.path));
    issues.push(...error.issues.filter((issue) => !alreadyReported.has(issue.path)));
  }
  if (issues.length > 0 || config === undefined) {
    throw new ConfigError(
      issues.map((issue) => ({ path: issue.path, message: maskSecrets(issue.message) })),
      filepath,
    );
  }
  return { config, filepath, keySources: sources.keySources, warnings: configWarnings(config) };
}
