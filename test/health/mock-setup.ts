import { createServer } from 'node:net';
import { normalizeConfig } from '../../src/config/normalize.js';
import type { UnderstudyConfig, UnderstudyConfigInput } from '../../src/config/schema.js';
import { registerSecret } from '../../src/config/secrets.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';

/** A key long enough that `keyHint` shows its last four characters, registered as a secret. */
export function secretKey(name: string): string {
  const key = `sk-test-${name}-0123456789abcdefghij-${name.length}x7Qa`;
  registerSecret(key);
  return key;
}

/** A mock provider that requires `key` and serves `models`; closed by `closeAll`. */
export async function mockWithKey(name: string, key: string, models = ['gpt-4o-mini', 'gpt-4o']): Promise<MockProvider> {
  const mock = await startMockProvider({ name, key, models });
  opened.push(mock);
  return mock;
}

const opened: MockProvider[] = [];

/** Closes every mock started by `mockWithKey`. */
export async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((mock) => mock.close()));
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A validated config with defaults filled, as `loadConfig` would return it. */
export function configOf(input: UnderstudyConfigInput): UnderstudyConfig {
  return normalizeConfig(input);
}
