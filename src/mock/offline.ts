import type { UnderstudyConfigInput } from '../config/schema.js';
import { registerSecret } from '../config/secrets.js';
import { startMockProvider, type MockProvider } from './server.js';

/** Built-in providers on loopback: the newcomer's demo and the project's own CI need no keys. */
export interface OfflineProviders {
  /** A config over the mock providers (primary first), to merge drill or command settings into. */
  readonly config: UnderstudyConfigInput;
  readonly providers: readonly MockProvider[];
  close(): Promise<void>;
}

const OFFLINE_NAMES = ['primary', 'backup'] as const;

/**
 * Starts a primary and a backup mock provider, each with its own key (registered as a secret,
 * like any key, so the masking path is exercised too) and model.
 */
export async function startOfflineProviders(names: readonly string[] = OFFLINE_NAMES): Promise<OfflineProviders> {
  const providers = await Promise.all(
    names.map((name) => {
      const key = `sk-offline-${name}-${Math.random().toString(36).slice(2, 14)}`;
      registerSecret(key);
      return startMockProvider({ name, key, models: [`${name}-model`] }).then((mock) => ({ mock, key }));
    }),
  );
  return {
    config: {
      providers: providers.map(({ mock, key }) => ({
        name: mock.name,
        baseURL: mock.baseURL,
        apiKey: key,
        model: mock.models[0]!,
      })),
    },
    providers: providers.map(({ mock }) => mock),
    close: async () => {
      await Promise.all(providers.map(({ mock }) => mock.close()));
    },
  };
}
