import OpenAI from 'openai';
import { afterEach } from 'vitest';
import type { UnderstudyConfigInput } from '../../src/config/schema.js';
import { startMockProvider, type MockProvider, type MockProviderOptions } from '../../src/mock/server.js';
import { startGateway, type Gateway } from '../../src/serve/server.js';

// Every gateway test: two mock providers on 127.0.0.1, a gateway in front of them (port 0),
// and the official openai SDK as the client, exactly as an agent would call it.

export const PRIMARY_KEY = 'sk-primary-key-0001';
export const BACKUP_KEY = 'sk-backup-key-0002';
export const PROMPT = { model: 'any-alias', messages: [{ role: 'user' as const, content: 'hi' }] };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

export interface GatewaySetup {
  readonly primary: MockProvider;
  readonly backup: MockProvider;
  readonly gateway: Gateway;
  /** An OpenAI client pointed at the gateway, with the SDK's own retries off. */
  readonly client: OpenAI;
}

/** Starts the mocks and a gateway over them; everything is closed after the test. */
export async function startSetup(
  settings: Omit<Partial<UnderstudyConfigInput>, 'providers'> = {},
  mockOptions: { primary?: MockProviderOptions; backup?: MockProviderOptions } = {},
): Promise<GatewaySetup> {
  const primary = await startMockProvider({ name: 'primary', key: PRIMARY_KEY, models: ['p-model'], ...mockOptions.primary });
  const backup = await startMockProvider({ name: 'backup', key: BACKUP_KEY, models: ['b-model'], ...mockOptions.backup });
  cleanups.push(() => primary.close(), () => backup.close());
  const gateway = await startGateway(
    {
      providers: [
        { name: 'primary', baseURL: primary.baseURL, apiKey: PRIMARY_KEY, model: 'p-model' },
        { name: 'backup', baseURL: backup.baseURL, apiKey: BACKUP_KEY, model: 'b-model' },
      ],
      retry: { maxRetries: 0 },
      ...settings,
    },
    { port: 0 },
  );
  cleanups.push(() => gateway.close({ graceMs: 1_000 }));
  return { primary, backup, gateway, client: clientFor(gateway) };
}

/** The official SDK pointed at a gateway; `apiKey` is any string unless the gateway wants a token. */
export function clientFor(gateway: Gateway, apiKey = 'anything'): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
}

/** The provider's whole answer, asked of it directly: what a client of the gateway must end up with. */
export async function directAnswer(mock: MockProvider, key: string, model: string): Promise<string> {
  const direct = new OpenAI({ baseURL: mock.baseURL, apiKey: key, maxRetries: 0 });
  const completion = await direct.chat.completions.create({ ...PROMPT, model });
  mock.resetCounters();
  return completion.choices[0]!.message.content ?? '';
}
