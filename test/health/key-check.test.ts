import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderConfigInput } from '../../src/config/schema.js';
import { clearSecrets } from '../../src/config/secrets.js';
import { pingProviders, type PingOptions } from '../../src/health/ping.js';
import { pingJson, pingJUnit, renderPingTable } from '../../src/health/render.js';
import type { PingReport } from '../../src/health/types.js';
import { startReplayServer, type ReplayRoutes, type ReplayServer } from '../../src/mock/replay.js';
import type { WireResponse } from '../../src/mock/wire-fixture.js';
import { toJson } from '../../src/report/json.js';
import { configOf, secretKey } from './mock-setup.js';

// Ping's key check on providers whose GET /models cannot check a key: none served, another
// shape, one that needs no key (OpenRouter) or none for a Bearer key (Anthropic). Each vendor is
// a replay server on 127.0.0.1 answering only what the case needs.

const COMPLETION: WireResponse = {
  status: 200,
  headers: {},
  body: {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'v-model',
    choices: [{ index: 0, message: { role: 'assistant', content: 'p' }, finish_reason: 'length', logprobs: null }],
  },
};
const list = (body: unknown): WireResponse => ({ status: 200, headers: {}, body });

const servers: ReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  clearSecrets();
});

async function ping(routes: ReplayRoutes, provider: Partial<ProviderConfigInput> = {}, options: PingOptions = {}) {
  const vendor = await startReplayServer(routes);
  servers.push(vendor);
  const key = secretKey('keycheck');
  const config = configOf({ timeoutMs: 2_000, providers: [{ name: 'p', baseURL: vendor.baseURL, apiKey: key, model: 'v-model', ...provider }] });
  const report = await pingProviders(config, { p: { env: 'P_API_KEY' } }, { warnings: [], alerts: [], ...options });
  return { report, provider: report.providers[0]!, vendor, auth: report.providers[0]!.checks.find((check) => check.name === 'auth')! };
}

function jsonChecks(report: PingReport): Array<{ name: string; via?: string; detail: string }> {
  return (JSON.parse(toJson(pingJson(report))) as { providers: Array<{ checks: Array<{ name: string; via?: string; detail: string }> }> }).providers[0]!.checks;
}

describe('the key check', () => {
  it('uses GET /models when the provider lists models, and says so in --json', async () => {
    const { report, provider, auth, vendor } = await ping({ 'GET /models': list({ object: 'list', data: [{ id: 'v-model' }] }), 'POST /chat/completions': COMPLETION });
    expect(provider.ok).toBe(true);
    expect(auth).toMatchObject({ ok: true, via: 'models', detail: 'key accepted, 1 model listed' });
    expect(jsonChecks(report).find((check) => check.name === 'auth')!.via).toBe('models');
    expect(vendor.requests['POST /chat/completions']).toBe(1);
    expect(renderPingTable(report)).not.toMatch(/1-token completion/);
  });

  it('falls back to a 1-token completion when GET /models is a 404, and every format says so', async () => {
    const { report, provider, auth, vendor } = await ping({ 'POST /chat/completions': COMPLETION });
    expect(provider.ok).toBe(true);
    expect(provider.error).toBeNull();
    expect(auth).toMatchObject({ ok: true, via: 'completion', detail: 'key accepted by a 1-token completion (GET /models: 404)' });
    expect(provider.checks.find((check) => check.name === 'model')).toMatchObject({ ok: true, detail: 'v-model answered the key check (no model list to look in)' });
    expect(vendor.requests).toEqual({ 'GET /models': 1, 'POST /chat/completions': 2 });
    expect(jsonChecks(report).find((check) => check.name === 'auth')!.via).toBe('completion');
    expect(renderPingTable(report)).toContain('i p auth: key accepted by a 1-token completion (GET /models: 404)');
    expect(pingJUnit(report)).toMatch(/name="auth"[^>]*>\s*<system-out>\s*<!\[CDATA\[key accepted by a 1-token completion \(GET \/models: 404\)\]\]>/);
  });

  it("reads Together's bare array as a list, and falls back on a list it cannot read", async () => {
    const together = await ping({ 'GET /models': list([{ id: 'v-model', object: 'model' }, { id: 'other', object: 'model' }]), 'POST /chat/completions': COMPLETION });
    expect(together.auth).toMatchObject({ via: 'models', detail: 'key accepted, 2 models listed' });
    expect(together.provider.checks.find((check) => check.name === 'model')).toMatchObject({ ok: true, detail: 'v-model is listed' });
    const odd = await ping({ 'GET /models': list({ result: 'fine' }), 'POST /chat/completions': COMPLETION });
    expect(odd.auth).toMatchObject({ ok: true, via: 'completion', detail: 'key accepted by a 1-token completion (GET /models answered JSON of another shape, not a model list)' });
  });

  it("never asks Anthropic's compatibility layer for a list its Bearer key cannot read", async () => {
    const { auth, vendor } = await ping({ 'POST /chat/completions': COMPLETION }, { preset: 'anthropic' });
    expect(auth).toMatchObject({ ok: true, via: 'completion', detail: 'key accepted by a 1-token completion (anthropic serves no model list for this key)' });
    expect(vendor.requests['GET /models']).toBeUndefined();
  });

  it("checks OpenRouter's key with a completion, since its list needs none, and still checks the model against the list", async () => {
    const { auth, provider } = await ping({ 'GET /models': list({ data: [{ id: 'openai/gpt-4o' }] }), 'POST /chat/completions': COMPLETION }, { preset: 'openrouter', model: 'openai/gpt-4o-mni' });
    expect(auth).toMatchObject({ via: 'completion', detail: 'key accepted by a 1-token completion (GET /models needs no key at openrouter; 1 model listed)' });
    expect(provider.checks.find((check) => check.name === 'model')).toMatchObject({ warning: true, detail: expect.stringContaining('did you mean openai/gpt-4o?') });
  });

  it('fails on the key when the fallback completion is rejected, as a key failure', async () => {
    const rejected: WireResponse = { status: 401, headers: {}, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } };
    const { provider } = await ping({ 'POST /chat/completions': rejected }, { preset: 'anthropic' });
    expect(provider.error).toMatchObject({ class: 'provider-only', status: 401 });
    expect(provider.error!.hint).toMatch(/^401: the key in P_API_KEY was rejected/);
  });

  it('when the completion is a 404 too, points at the base URL and the model, with the vendor\'s words', async () => {
    const missing: WireResponse = { status: 404, headers: {}, body: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } } };
    const { provider } = await ping({ 'POST /chat/completions': missing });
    expect(provider.error).toMatchObject({ class: 'provider-only', status: 404 });
    expect(provider.error!.hint).toMatch(/chat\/completions returned 404 \(The API deployment for this resource does not exist\.\) and GET \/models did too — check the base URL and the model v-model$/);
  });

  it('with --no-completion spends nothing: a missing list is the base-URL failure it was, a preset without one a warning', async () => {
    const bare = await ping({ 'POST /chat/completions': COMPLETION }, {}, { completion: false });
    expect(bare.provider.error!.hint).toMatch(/\/models returned 404 — the base URL is probably wrong/);
    expect(bare.vendor.requests['POST /chat/completions']).toBeUndefined();
    const anthropic = await ping({ 'POST /chat/completions': COMPLETION }, { preset: 'anthropic' }, { completion: false });
    expect(anthropic.provider.ok).toBe(true);
    expect(anthropic.auth).toMatchObject({ warning: true, detail: 'key not checked: anthropic serves no model list for this key, and --no-completion spends nothing' });
    expect(anthropic.vendor.requests).toEqual({});
  });
});
