import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { classify } from '../../src/engine/classify.js';
import type { AttemptError } from '../../src/engine/types.js';
import { createProviderClient, type ProviderClient, type ProviderTransport } from '../../src/providers/openai-compatible.js';

const KEY = 'sk-redirected-0123456789';
const REQUEST = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 5 };

interface Listening {
  readonly server: Server;
  readonly origin: string;
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Where a redirect points: anything reaching it would be a followed redirect. */
let elsewhere: Listening;
const reachedElsewhere: IncomingHttpHeaders[] = [];
/** Answers every request with `next.status` and `next.location`. */
let redirecting: Listening;
let next: { status: number; location: string | undefined };

beforeAll(async () => {
  elsewhere = await listen((req, res) => {
    reachedElsewhere.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"elsewhere-model"}]}');
  });
  redirecting = await listen((req, res) => {
    req.resume();
    res.writeHead(next.status, next.location === undefined ? {} : { location: next.location }).end('moved');
  });
});

afterAll(async () => {
  for (const { server } of [elsewhere, redirecting]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

beforeEach(() => {
  reachedElsewhere.length = 0;
});

function clientFor(transport: ProviderTransport): ProviderClient {
  const provider = normalizeConfig({ providers: [{ name: 'moved', baseURL: `${redirecting.origin}/v1`, apiKey: KEY, model: 'm' }] }).providers[0]!;
  return createProviderClient(provider, { transport });
}

type Call = 'models' | 'complete' | 'stream';

async function failureOf(client: ProviderClient, call: Call): Promise<AttemptError> {
  const signal = new AbortController().signal;
  try {
    if (call === 'models') await client.listModels(signal);
    else if (call === 'complete') await client.complete(REQUEST, signal);
    else for await (const _chunk of await client.stream(REQUEST, signal));
  } catch (error) {
    return classify(error);
  }
  throw new Error('the call succeeded');
}

/** The same failure from both transports, checked equal. */
async function failureOnBoth(call: Call): Promise<AttemptError> {
  const [sdk, http] = [await failureOf(clientFor('sdk'), call), await failureOf(clientFor('http'), call)];
  expect(http).toEqual(sdk);
  return sdk;
}

describe('a redirect from a provider is never followed, on either transport', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    for (const call of ['models', 'complete', 'stream'] as const) {
      it(`${status} on ${call}: a retryable malformed answer naming the status and Location; the key goes nowhere`, async () => {
        next = { status, location: `${elsewhere.origin}/v1/x?token=signed-secret` };
        const failure = await failureOnBoth(call);

        expect(failure).toMatchObject({ kind: 'malformed', class: 'retryable' });
        expect(failure.message).toContain(`redirected (${status}) to ${elsewhere.origin}/v1/x?…; redirects are not followed`);
        expect(failure.message).not.toContain('signed-secret');
        expect(reachedElsewhere).toEqual([]);
      });
    }
  }

  it('says which base URL a redirect of the same call implies', async () => {
    next = { status: 301, location: `${elsewhere.origin}/api/openai/v1/models` };
    const failure = await failureOnBoth('models');
    expect(failure.message).toContain(`set the provider's baseURL to ${elsewhere.origin}/api/openai/v1`);
  });

  it('resolves a relative Location against the call', async () => {
    next = { status: 308, location: '/v2/chat/completions' };
    const failure = await failureOnBoth('complete');
    expect(failure.message).toContain(`redirected (308) to ${redirecting.origin}/v2/chat/completions; redirects are not followed (the key would go along): set the provider's baseURL to ${redirecting.origin}/v2`);
  });

  it('says so when the redirect has no Location', async () => {
    next = { status: 302, location: undefined };
    const failure = await failureOnBoth('models');
    expect(failure.message).toContain("redirected (302) to nowhere; redirects are not followed (the key would go along): check the provider's baseURL");
  });
});
