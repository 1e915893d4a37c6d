import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { KeySources } from '../config/key-sources.js';
import { normalizeConfig } from '../config/normalize.js';
import type { UnderstudyConfig, UnderstudyConfigInput } from '../config/schema.js';
import type { ConfigWarning } from '../config/warnings.js';
import { UsageError } from '../terminal/exit-codes.js';

/** What a command runs against: a config from disk, or the built-in mock providers. */
export interface ProviderSetup {
  readonly config: UnderstudyConfig;
  /** The config file, when there is one. */
  readonly filepath: string | undefined;
  /** Where each provider's key came from, for hints. */
  readonly keySources: KeySources;
  /** Settings that weaken failover; commands print them (and `ping --strict` fails on them). */
  readonly warnings: readonly ConfigWarning[];
  /** For a banner: the config file relative to the working directory, or the offline demo. */
  readonly label: string;
  readonly offline: boolean;
  /** Stops the offline providers; a no-op for a config from disk. */
  close(): Promise<void>;
}

export interface ProviderSetupOptions {
  /** `--config PATH`. */
  readonly configPath?: string | undefined;
  /** `--offline`: the built-in mock providers, no keys, no network. */
  readonly offline?: boolean | undefined;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * With `--offline`, keep an explicit `--config`'s engine settings and swap in the mock
   * providers (the drill proves a team's settings offline). Otherwise the two together are a
   * usage error, since it would be unclear which providers are meant.
   */
  readonly offlineKeepsConfigSettings?: boolean;
  /** Settings over the offline demo (watch's quicker breaker, for instance). */
  readonly offlineSettings?: Omit<Partial<UnderstudyConfigInput>, 'providers'>;
}

/**
 * Loads the config, or starts the offline mock providers, the same way for every command. A
 * config found by searching is never read with `--offline`, so the demo needs no secrets.
 */
export async function setUpProviders(options: ProviderSetupOptions = {}): Promise<ProviderSetup> {
  const cwd = options.cwd ?? process.cwd();
  const load = (configPath?: string) =>
    loadConfig({ ...(configPath !== undefined ? { configPath } : {}), cwd, ...(options.env ? { env: options.env } : {}) });
  if (!options.offline) {
    const loaded = await load(options.configPath);
    return {
      ...loaded,
      label: loaded.filepath ? path.relative(cwd, loaded.filepath) || loaded.filepath : 'config',
      offline: false,
      close: async () => {},
    };
  }
  if (options.configPath !== undefined && !options.offlineKeepsConfigSettings) {
    throw new UsageError('--offline runs against the built-in mock providers, so it takes no --config', 'leave out one of --offline and --config');
  }
  const settings = options.configPath !== undefined ? (await load(options.configPath)).config : undefined;
  const { startOfflineProviders } = await import('../mock/offline.js');
  const mocks = await startOfflineProviders();
  try {
    const config = normalizeConfig({
      ...(settings as UnderstudyConfigInput | undefined),
      ...options.offlineSettings,
      providers: mocks.config.providers,
    });
    return {
      config,
      filepath: undefined,
      keySources: {},
      warnings: [],
      label: `offline demo: mock providers ${config.providers.map((provider) => provider.name).join(' and ')} on 127.0.0.1`,
      offline: true,
      close: () => mocks.close(),
    };
  } catch (error) {
    await mocks.close();
    throw error;
  }
}

/** One stderr line per warning: `warning: providers[1].baseURL: primary and backup are the same host …`. */
export function describeWarnings(warnings: readonly ConfigWarning[]): string[] {
  return warnings.map((warning) => `warning: ${warning.path ? `${warning.path}: ` : ''}${warning.message}`);
}
