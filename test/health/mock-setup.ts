import { createServer as createHttpServer, type Server } from 'node:http';
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
const servers: Server[] = [];

/** Closes every mock started by `mockWithKey` and every `listeningSink`. */
export async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((mock) => mock.close()));
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    }),
  );
}

/** An HTTP server on 127.0.0.1 standing in for a webhook: it counts what reaches it. */
export interface ListeningSink {
  /** `http://127.0.0.1:PORT` followed by `path`. */
  url(path: string): string;
  /** TCP connections accepted: proof the check really connected. */
  readonly connections: number;
  /** HTTP requests received: an alert sent, which a ping must never do. */
  readonly requests: number;
}

/** Starts a `ListeningSink`; closed by `closeAll`. */
export async function listeningSink(): Promise<ListeningSink> {
  let connections = 0;
  let requests = 0;
  const server = createHttpServer((_request, response) => {
    requests++;
    response.end('ok');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
  };
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
