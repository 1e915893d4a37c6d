import { afterEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { startReplayServer, type ReplayServer } from '../../src/mock/replay.js';
import { ModelListShapeError } from '../../src/providers/model-list.js';
import { createProviderClient } from '../../src/providers/openai-compatible.js';

// Both transports read a GET /models answer the same way, whatever shape the vendor lists in.
const servers: ReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function listed(body: unknown, transport: 'sdk' | 'http'): Promise<string[]> {
  const vendor = await startReplayServer({ 'GET /models': { status: 200, headers: {}, body } });
  servers.push(vendor);
  const provider = normalizeConfig({ providers: [{ name: 'p', baseURL: vendor.baseURL, apiKey: 'sk-list-0001', model: 'm' }] }).providers[0]!;
  return createProviderClient(provider, { transport }).listModels(new AbortController().signal);
}

describe.each(['sdk', 'http'] as const)('listModels over the %s transport', (transport) => {
  it.each([
    ['an OpenAI page', { object: 'list', data: [{ id: 'gpt-4o', object: 'model' }, { id: 'gpt-4o-mini', object: 'model' }] }, ['gpt-4o', 'gpt-4o-mini']],
    ["Together's bare array", [{ id: 'meta-llama/Llama-3-8b', object: 'model' }], ['meta-llama/Llama-3-8b']],
    ["Gemini's ids with their prefix", { object: 'list', data: [{ id: 'models/gemini-2.0-flash', object: 'model', owned_by: 'google' }] }, ['models/gemini-2.0-flash']],
    ["a native list of names (Google's, Ollama's)", { models: [{ name: 'llama3.2:latest' }] }, ['llama3.2:latest']],
    ['an empty page', { object: 'list', data: [] }, []],
  ])('reads %s', async (_what, body, ids) => {
    expect(await listed(body, transport)).toEqual(ids);
  });

  it('refuses a body that is no list, so ping can check the key another way', async () => {
    await expect(listed({ status: 'ok' }, transport)).rejects.toBeInstanceOf(ModelListShapeError);
  });
});
