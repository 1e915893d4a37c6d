import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { startReplayServer, type ReplayRoutes, type ReplayServer } from '../../src/mock/replay.js';
import type { WireResponse } from '../../src/mock/wire-fixture.js';

// A `GET /models` probe (watch --no-completion, probe.kind: models) on a provider whose list
// cannot say whether it is up must not hold a healthy provider down.
const COMPLETION: WireResponse = {
  status: 200,
  headers: {},
  body: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'p' }, finish_reason: 'length' }] },
};

const servers: ReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function probe(routes: ReplayRoutes, preset?: string) {
  const vendor = await startReplayServer(routes);
  servers.push(vendor);
  const engine = createEngine({ providers: [{ name: 'p', baseURL: vendor.baseURL, apiKey: 'sk-probe-0001', model: 'm', ...(preset ? { preset } : {}) }] });
  const attempt = await engine.check('p', 'models');
  return { attempt, vendor, state: engine.state()[0]! };
}

describe("a models probe where the list can't tell", () => {
  it('uses the free list when there is one', async () => {
    const { attempt, vendor } = await probe({ 'GET /models': { status: 200, headers: {}, body: { data: [{ id: 'm' }] } }, 'POST /chat/completions': COMPLETION });
    expect(attempt.outcome).toBe('success');
    expect(vendor.requests).toEqual({ 'GET /models': 1 });
  });

  it('answers with a 1-token completion when GET /models is a 404, so the breaker stays closed', async () => {
    const { attempt, vendor, state } = await probe({ 'POST /chat/completions': COMPLETION });
    expect(attempt.outcome).toBe('success');
    expect(vendor.requests).toEqual({ 'GET /models': 1, 'POST /chat/completions': 1 });
    expect(state.breaker).toBe('closed');
  });

  it("never asks Anthropic's compatibility layer for a list (it would answer 401 to a good key)", async () => {
    const unauthorized: WireResponse = { status: 401, headers: {}, body: { type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' } } };
    const { attempt, vendor } = await probe({ 'GET /models': unauthorized, 'POST /chat/completions': COMPLETION }, 'anthropic');
    expect(attempt.outcome).toBe('success');
    expect(vendor.requests).toEqual({ 'POST /chat/completions': 1 });
  });

  it('still fails on what the list does say: a rejected key', async () => {
    const rejected: WireResponse = { status: 401, headers: {}, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } };
    const { attempt, vendor } = await probe({ 'GET /models': rejected, 'POST /chat/completions': COMPLETION });
    expect(attempt).toMatchObject({ outcome: 'failure', error: { kind: 'auth', status: 401 } });
    expect(vendor.requests['POST /chat/completions']).toBeUndefined();
  });
});
