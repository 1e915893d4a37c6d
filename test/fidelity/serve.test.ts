import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret } from '../../src/config/secrets.js';
import type { ProviderTransport } from '../../src/providers/openai-compatible.js';
import { startGateway, type Gateway } from '../../src/serve/server.js';
import { startProviders, type Providers } from '../run/helpers.js';
import {
  completionBodies,
  directChunks,
  directCompletion,
  expectedBody,
  JSON_OBJECT_REQUEST,
  SCHEMA_REQUEST,
  shapeOf,
  TOOL_ANSWER,
  TOOL_REQUEST,
} from '../support/rich-request.js';

// Through `understudy serve`: what a client posts reaches whichever provider answers byte for
// byte (but for the provider's own model), and the fallback's answer reaches the client as the
// fallback gave it, over both provider transports. Raw fetch as the client, so nothing between
// the wire and the assertion reshapes anything.

let providers: Providers | undefined;
let gateway: Gateway | undefined;
afterEach(async () => {
  clearSecrets();
  await gateway?.close({ graceMs: 500 });
  await providers?.close();
  providers = gateway = undefined;
});

const STRUCTURED = '{"severity":"high","summary":"disk full on db-1"}';

async function start(transport: ProviderTransport) {
  const reply = (request: { tools?: unknown }) => (request.tools ? TOOL_ANSWER : STRUCTURED);
  providers = await startProviders({ primary: { record: true, reply }, backup: { record: true, reply } });
  gateway = await startGateway(providers.config, { port: 0, transport });
  return { ...providers, gateway };
}

function post(gatewayURL: string, body: object): Promise<Response> {
  return fetch(`${gatewayURL}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function sseChunks(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .map((event) => event.replace(/^data: /, '').trim())
    .filter((data) => data !== '' && data !== '[DONE]')
    .map((data) => JSON.parse(data) as Record<string, unknown>);
}

const requests = { tools: TOOL_REQUEST, json_schema: SCHEMA_REQUEST, json_object: JSON_OBJECT_REQUEST };
const transports: ProviderTransport[] = ['sdk', 'http'];

describe.each(transports)('serve: request fidelity over failover (%s transport)', (transport) => {
  it.each(Object.entries(requests))('JSON: a %s request reaches both providers unchanged, and the client gets the fallback answer', async (_, request) => {
    const { primary, backup, gateway } = await start(transport);
    const expected = await directCompletion(backup.baseURL, { ...request, model: 'backup-model' });
    backup.resetCounters();
    await primary.setFault({ type: 'status', status: 503 });

    const response = await post(gateway.url, { model: 'my-alias', ...request, stream: false });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-understudy-provider')).toBe('backup');
    expect(completionBodies(primary.received)).toEqual([expectedBody(request, 'primary-model', false)]);
    expect(completionBodies(backup.received)).toEqual([expectedBody(request, 'backup-model', false)]);
    expect(shapeOf(await response.json())).toEqual(shapeOf(expected));
  });

  it.each(Object.entries(requests))('SSE: a %s request reaches both providers unchanged, and the client gets every fallback chunk', async (_, request) => {
    const { primary, backup, gateway } = await start(transport);
    const streamed = { ...request, stream_options: { include_usage: true } };
    const expected = await directChunks(backup.baseURL, { ...streamed, model: 'backup-model' });
    backup.resetCounters();
    await primary.setFault({ type: 'status', status: 503 });

    const response = await post(gateway.url, { model: 'my-alias', ...streamed, stream: true });

    expect(response.headers.get('x-understudy-provider')).toBe('backup');
    const chunks = sseChunks(await response.text());
    expect(completionBodies(primary.received)).toEqual([expectedBody(streamed, 'primary-model', true)]);
    expect(completionBodies(backup.received)).toEqual([expectedBody(streamed, 'backup-model', true)]);
    expect(chunks.map(shapeOf)).toEqual(expected.map(shapeOf));
  });

  it.each([false, true])("passes a provider's 400 through with its type, code and param (stream: %s)", async (stream) => {
    const { primary, backup, gateway } = await start(transport);
    const rejection = {
      error: { message: "Invalid 'tools[0].function.name': string does not match pattern.", type: 'invalid_request_error', param: 'tools[0].function.name', code: 'invalid_value' },
    };
    await primary.setFault({ type: 'status', status: 400, body: rejection });

    const response = await post(gateway.url, { model: 'my-alias', ...TOOL_REQUEST, stream });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(rejection);
    expect(backup.counters.completions).toBe(0);
  });

  it("passes a provider's long validation message through whole", async () => {
    const { primary, gateway } = await start(transport);
    const message = `Invalid schema for response_format 'triage': ${'In context=(), every key in properties must be listed in required. '.repeat(8)}`;
    await primary.setFault({ type: 'status', status: 400, body: { error: { message, type: 'invalid_request_error', param: 'response_format', code: null } } });

    const response = await post(gateway.url, { model: 'my-alias', ...SCHEMA_REQUEST });

    expect(message.length).toBeGreaterThan(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(message);
  });

  it('masks a key that a provider echoes in any field of its 400', async () => {
    const { primary, gateway } = await start(transport);
    const key = 'sk-test-primary-0001';
    registerSecret(key);
    await primary.setFault({ type: 'status', status: 400, body: { error: { message: `bad request from ${key}`, type: 'invalid_request_error', param: key, code: `code-${key}` } } });

    const text = await (await post(gateway.url, { model: 'my-alias', ...JSON_OBJECT_REQUEST })).text();

    expect(text).not.toContain(key);
    expect(JSON.parse(text)).toMatchObject({ error: { message: 'bad request from ***', param: '***', code: 'code-***' } });
  });
});
