import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, normalizeConfig } from '../../src/config/normalize.js';
import { classify } from '../../src/engine/classify.js';
import type { AttemptError } from '../../src/engine/types.js';
import { startMockProvider, type MockProvider } from '../../src/mock/server.js';
import { createProviderClient, type ProviderTransport } from '../../src/providers/openai-compatible.js';
import { makeTempProject, thrown, type TempProject } from '../config/temp-project.js';
import { root } from '../support/cli.js';
import { OTHER_CA_FILE, startTlsFront, TEST_CA_FILE, type TlsFront } from '../support/tls-front.js';

const TRANSPORTS: readonly ProviderTransport[] = ['sdk', 'http'];
const KEY = 'sk-tls-0123456789';
const REQUEST = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 5 };

let mock: MockProvider;
let front: TlsFront;

beforeAll(async () => {
  mock = await startMockProvider({ name: 'tls', key: KEY, models: ['tls-model'] });
  front = await startTlsFront(mock.port);
});

afterAll(async () => {
  await front.close();
  await mock.close();
});

beforeEach(() => {
  // A proxy set on this machine must not come between the test and its server (loopback is never proxied anyway).
  vi.stubEnv('NO_PROXY', '*');
  return () => vi.unstubAllEnvs();
});

function clientFor(transport: ProviderTransport, extra: { ca?: string; host?: string } = {}) {
  const baseURL = `https://${extra.host ?? '127.0.0.1'}:${front.port}/v1`;
  const provider = normalizeConfig({
    providers: [{ name: 'tls', baseURL, apiKey: KEY, model: 'tls-model', ...(extra.ca ? { ca: extra.ca } : {}) }],
  }).providers[0]!;
  return createProviderClient(provider, { transport });
}

async function failureOf(call: Promise<unknown>): Promise<AttemptError> {
  try {
    await call;
  } catch (error) {
    return classify(error);
  }
  throw new Error('the call succeeded');
}

describe.each(TRANSPORTS)('the %s transport to an https server with a self-signed certificate', (transport) => {
  it.each(['127.0.0.1', 'localhost'])('answers at %s when the provider trusts its CA (`ca`)', async (host) => {
    const client = clientFor(transport, { ca: TEST_CA_FILE, host });
    const signal = new AbortController().signal;
    expect(await client.listModels(signal)).toEqual(['tls-model']);
    expect((await client.complete(REQUEST, signal)).choices[0]?.message.content).toMatch(/Hello from tls/);
    let chunks = 0;
    for await (const _chunk of await client.stream(REQUEST, signal)) chunks++;
    expect(chunks).toBeGreaterThan(1);
  });
});

describe('without the CA', () => {
  it.each([
    ['no `ca`', undefined],
    ['a `ca` that did not sign it', OTHER_CA_FILE],
  ])('%s: a retryable TLS connection error, alike on both transports', async (_name, ca) => {
    const failures: AttemptError[] = [];
    for (const transport of TRANSPORTS) {
      failures.push(await failureOf(clientFor(transport, ca ? { ca } : {}).complete(REQUEST, new AbortController().signal)));
    }
    expect(failures[1]).toEqual(failures[0]);
    expect(failures[0]).toMatchObject({ kind: 'connection', class: 'retryable' });
    expect(failures[0]!.message).toMatch(/^TLS error \((SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT)\)$/);
  });
});

describe('a provider `ca` in a config file', () => {
  let project: TempProject;

  beforeEach(async () => {
    project = await makeTempProject();
    return () => project.remove();
  });

  async function writeConfig(ca: string): Promise<void> {
    await project.write(
      'understudy.config.json',
      JSON.stringify({ providers: [{ name: 'internal', baseURL: `https://127.0.0.1:${front.port}/v1`, apiKey: KEY, model: 'tls-model', ca }] }),
    );
  }

  it('is read relative to the config file, and trusted by the provider', async () => {
    await project.write('certs/internal-ca.pem', readFileSync(TEST_CA_FILE, 'utf8'));
    await writeConfig('./certs/internal-ca.pem');
    const { config } = await loadConfig({ cwd: project.nested });
    expect(config.providers[0]!.ca).toBe(`${project.root}/certs/internal-ca.pem`);
    const client = createProviderClient(config.providers[0]!, { transport: 'http' });
    expect(await client.listModels(new AbortController().signal)).toEqual(['tls-model']);
  });

  it('that does not exist is a config error naming the field and the file', async () => {
    await writeConfig('./certs/missing.pem');
    const error = await thrown(() => loadConfig({ cwd: project.root }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`providers[0].ca: cannot read CA file ${project.root}/certs/missing.pem (no such file)`);
  });

  it('that holds no certificate (a private key given by mistake) is a config error that quotes none of it', async () => {
    const key = readFileSync(`${root}fixtures/tls/server-key.pem`, 'utf8');
    await project.write('certs/key.pem', key);
    await writeConfig('certs/key.pem');
    const error = await thrown(() => loadConfig({ cwd: project.root }));
    expect(error.message).toContain(`providers[0].ca: CA file ${project.root}/certs/key.pem holds no PEM certificate`);
    const keyBody = key.split('\n')[1]!;
    expect(error.message).not.toContain(keyBody);
  });

  it('with a broken certificate is a config error saying which one', async () => {
    const pem = readFileSync(TEST_CA_FILE, 'utf8');
    await project.write('certs/two.pem', pem + pem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA'));
    await writeConfig('certs/two.pem');
    const error = await thrown(() => loadConfig({ cwd: project.root }));
    expect(error.message).toContain(`providers[0].ca: CA file ${project.root}/certs/two.pem: certificate 2 of 2 is not a valid X.509 certificate`);
  });

  it('given to the library directly and unusable, fails at client creation naming the provider', () => {
    const provider = normalizeConfig({ providers: [{ name: 'lib', baseURL: 'https://127.0.0.1:1/v1', model: 'm', ca: '/nonexistent/ca.pem' }] }).providers[0]!;
    expect(() => createProviderClient(provider, { transport: 'http' })).toThrow(/ca \(provider lib\): cannot read CA file \/nonexistent\/ca\.pem \(no such file\)/);
  });
});
