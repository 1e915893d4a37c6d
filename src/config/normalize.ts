import type { z } from 'zod';
import { closestMatch } from '../text/did-you-mean.js';
import { KNOWN_FIELDS } from './known-fields.js';
import { configSchema, type UnderstudyConfig, type UnderstudyConfigInput } from './schema.js';
import { presets, presetNames } from './presets.js';

/** One thing wrong with a config, located by its field path (`providers[1].model`). */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** A config that cannot be used; `issues` has one entry per problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly issues: readonly ConfigIssue[],
    /** The file the config came from, when there was one. */
    readonly source?: string,
  ) {
    super(
      `invalid config${source ? ` in ${source}` : ''}:\n` +
        issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`).join('\n'),
    );
  }
}

/** `['providers', 1, 'model']` → `providers[1].model`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
    )
    .join('');
}

/**
 * Validates an already interpolated config, fills the defaults and resolves presets into base
 * URLs. Throws ConfigError listing every problem at once.
 */
export function normalizeConfig(input: UnderstudyConfigInput, source?: string): UnderstudyConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError([...parsed.error.issues.flatMap(toConfigIssues), ...crossFieldIssues(input)], source);
  }
  const config = parsed.data;
  const issues: ConfigIssue[] = crossFieldIssues(config);
  config.providers.forEach((provider, index) => {
    const preset = provider.preset === undefined ? undefined : presets[provider.preset];
    if (provider.preset !== undefined && !preset) return; // reported by crossFieldIssues
    if (preset?.baseURL !== undefined) provider.baseURL ??= preset.baseURL;
    if (provider.baseURL === undefined) {
      const message = preset?.baseURLExample ? `required with preset ${provider.preset}: your own, like ${preset.baseURLExample}` : 'required (or give a preset)';
      issues.push({ path: `providers[${index}].baseURL`, message });
    }
  });
  if (issues.length > 0) throw new ConfigError(issues, source);
  return config;
}

/** Zod's issues in the user's terms: one line per unknown key, "required" for a missing field. */
function toConfigIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const suggestion = closestMatch(key, KNOWN_FIELDS);
      return { path: formatPath([...issue.path, key]), message: `unknown field${suggestion ? ` (did you mean ${suggestion}?)` : ''}` };
    });
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return [{ path: formatPath(issue.path), message: 'required' }];
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

/**
 * Checks that span fields (duplicate names, apiKey with apiKeyFile). Run on the raw input too,
 * so they are reported alongside type errors rather than after the user fixes those.
 */
function crossFieldIssues(input: unknown): ConfigIssue[] {
  const providers = (input as { providers?: unknown } | null)?.providers;
  if (!Array.isArray(providers)) return [];
  const issues: ConfigIssue[] = [...modelAliasIssues(input, providers)];
  const firstIndexOfName = new Map<string, number>();
  providers.forEach((provider: unknown, index) => {
    if (typeof provider !== 'object' || provider === null) return;
    const { name, apiKey, apiKeyFile, preset } = provider as Record<string, unknown>;
    if (typeof preset === 'string' && !(preset in presets)) {
      issues.push({
        path: `providers[${index}].preset`,
        message: `unknown preset "${preset}" (known: ${presetNames.join(', ')})`,
      });
    }
    if (typeof name === 'string') {
      const first = firstIndexOfName.get(name);
      if (first === undefined) firstIndexOfName.set(name, index);
      else
        issues.push({
          path: `providers[${index}].name`,
          message: `duplicate provider name "${name}" (also providers[${first}].name)`,
        });
    }
    if (apiKey !== undefined && apiKeyFile !== undefined) {
      issues.push({ path: `providers[${index}].apiKeyFile`, message: 'give apiKey or apiKeyFile, not both' });
    }
  });
  return issues;
}

/** Every provider a model alias routes to must exist: a typo there would silently drop a fallback. */
function modelAliasIssues(input: unknown, providers: readonly unknown[]): ConfigIssue[] {
  const models = (input as { models?: unknown }).models;
  if (typeof models !== 'object' || models === null) return [];
  const known = providers.map((provider) => (provider as { name?: unknown } | null)?.name).filter((name) => typeof name === 'string');
  const issues: ConfigIssue[] = [];
  for (const [alias, route] of Object.entries(models)) {
    if (!Array.isArray(route)) continue;
    route.forEach((name: unknown, index) => {
      if (typeof name === 'string' && !known.includes(name)) {
        const suggestion = closestMatch(name, known as string[]);
        issues.push({
          path: `models.${alias}[${index}]`,
          message: `no provider named "${name}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
        });
      }
    });
  }
  return issues;
}
