import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { MalformedResponseError } from '../../src/engine/classify.js';
import { createProviderClient } from '../../src/providers/openai-compatible.js';
import { completion, html, scriptedFetch, status } from '../support/scripted-fetch.js';

const HOST = '127.0.0.1:20101';
const provider = normalizeConfig({ providers: [{ name: 'p', baseURL: `http://${HOST}/v1`, apiKey: 'sk-p-0123456789', model: 'o3-mini' }] })
  .providers[0]!;
const signal = new AbortController().signal;
const REQUEST = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 1 };
const rejectsMaxTokens = status(
  400,
  "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
);

describe('OpenAI-compatible provider client', () => {
  it("sends the provider's own model, never the caller's", async () => {
    const net = scriptedFetch({ [HOST]: [completion()] });
    await createProviderClient(provider, { fetch: net.fetch }).complete(REQUEST, signal);
    expect(net.bodies(HOST)[0]).toMatchObject({ model: 'o3-mini', max_tokens: 1 });
  });

  it('switches to max_completion_tokens for good when a provider rejects max_tokens', async () => {
    const net = scriptedFetch({ [HOST]: [rejectsMaxTokens, completion(), completion()] });
    const client = createProviderClient(provider, { fetch: net.fetch });
    await client.complete(REQUEST, signal);
    await client.complete(REQUEST, signal);
    const [first, second, third] = net.bodies(HOST) as Array<Record<string, unknown>>;
    expect(first).toHaveProperty('max_tokens', 1);
    expect(second).toMatchObject({ max_completion_tokens: 1 });
    expect(second).not.toHaveProperty('max_tokens');
    expect(third).toMatchObject({ max_completion_tokens: 1 });
    expect(net.calls(HOST)).toBe(3);
  });

  it('does not resend other 400s', async () => {
    const net = scriptedFetch({ [HOST]: [status(400, 'messages: too short'), completion()] });
    await expect(createProviderClient(provider, { fetch: net.fetch }).complete(REQUEST, signal)).rejects.toMatchObject({ status: 400 });
    expect(net.calls(HOST)).toBe(1);
  });

  it('refuses a 200 that is an HTML page instead of passing it off as a completion', async () => {
    const net = scriptedFetch({ [HOST]: [html(200)] });
    await expect(createProviderClient(provider, { fetch: net.fetch }).complete(REQUEST, signal)).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('never sends the OpenAI organisation or project from the environment to another provider', async () => {
    process.env['OPENAI_ORG_ID'] = 'org-leak';
    process.env['OPENAI_PROJECT_ID'] = 'proj-leak';
    try {
      let headers: Headers | undefined;
      const net = scriptedFetch({ [HOST]: [completion()] });
      const spy: typeof fetch = (input, init) => {
        headers = new Headers(init?.headers);
        return net.fetch(input, init);
      };
      await createProviderClient(provider, { fetch: spy }).complete(REQUEST, signal);
      expect(headers!.get('openai-organization')).toBeNull();
      expect(headers!.get('openai-project')).toBeNull();
    } finally {
      delete process.env['OPENAI_ORG_ID'];
      delete process.env['OPENAI_PROJECT_ID'];
    }
  });
});
