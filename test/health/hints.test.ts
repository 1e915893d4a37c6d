import { describe, expect, it } from 'vitest';
import { providerSchema } from '../../src/config/schema.js';
import { hintFor, type HintContext } from '../../src/health/hints.js';

const provider = providerSchema.parse({ name: 'openai', preset: 'openai', baseURL: 'https://api.openai.com/v1', apiKey: 'sk-proj-abcdefghijklmnopx7Qa', model: 'gpt-4o-mini' });
const context: HintContext = { provider, keySource: { env: 'OPENAI_API_KEY' }, target: { host: 'api.openai.com', port: 443, tls: true }, timeoutMs: 5_000 };

describe('hints', () => {
  it('names where a rejected key came from and its last 4 characters only', () => {
    expect(hintFor({ class: 'provider-only', kind: 'auth', status: 401, message: 'bad key' }, { check: 'auth' }, context)).toBe(
      '401: the key in OPENAI_API_KEY was rejected (ends …x7Qa) — check it is current and belongs to api.openai.com',
    );
    const fromFile = hintFor({ class: 'provider-only', kind: 'auth', status: 403, message: 'no' }, { check: 'auth' }, { ...context, keySource: { file: 'keys/openai.txt' } });
    expect(fromFile).toMatch(/^403: the key in file keys\/openai.txt was accepted but lacks access \(ends …x7Qa\)/);
  });

  it('says which variable to set when no key is configured', () => {
    const keyless = { ...context, provider: { ...provider, apiKey: undefined }, keySource: undefined };
    expect(hintFor({ class: 'provider-only', kind: 'auth', status: 401, message: 'no key' }, { check: 'auth' }, keyless)).toBe(
      '401: no API key is configured for openai — set apiKey or apiKeyFile (e.g. apiKey: "${OPENAI_API_KEY}")',
    );
  });

  it('blames the base URL for a 404 on /models, and the model for a 404 on the completion', () => {
    const noVersion = { ...context, provider: { ...provider, baseURL: 'https://api.openai.com' } };
    expect(hintFor({ class: 'provider-only', kind: 'not-found', status: 404, message: 'nf' }, { check: 'auth' }, noVersion)).toBe(
      'GET https://api.openai.com/models returned 404 — the base URL is probably wrong (most end in /v1)',
    );
    const listed = { ...context, listedModels: ['gpt-4o', 'o3'] };
    expect(hintFor({ class: 'provider-only', kind: 'not-found', status: 404, message: 'nf' }, { check: 'completion' }, { ...listed, provider: { ...provider, model: 'claude' } })).toBe(
      'model claude not found — it lists 2 models, e.g. gpt-4o, o3',
    );
  });

  it('names the timeout, and tells TLS certificate trouble apart', () => {
    expect(hintFor({ class: 'retryable', kind: 'timeout', timeout: 'call', message: 't' }, { check: 'completion' }, context)).toMatch(/^no answer within 5\.0 s \(the ping timeout\)/);
    expect(hintFor({ class: 'retryable', kind: 'connection', message: 'x' }, { check: 'reach', phase: 'tls', code: 'SELF_SIGNED_CERT_IN_CHAIN' }, context)).toMatch(
      /^the TLS certificate of api.openai.com was not accepted \(SELF_SIGNED_CERT_IN_CHAIN\) — .*NODE_EXTRA_CA_CERTS/,
    );
  });
});
