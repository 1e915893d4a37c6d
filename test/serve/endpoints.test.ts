import { describe, expect, it } from 'vitest';
import { PROMPT, startSetup } from './helpers.js';

describe('gateway endpoints', () => {
  it('lists every provider model on GET /v1/models', async () => {
    const { client } = await startSetup();
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((model) => [model.id, model.owned_by])).toEqual([
      ['p-model', 'primary'],
      ['b-model', 'backup'],
    ]);
  });

  it('answers GET /healthz while the process is up, whatever the providers do', async () => {
    const { gateway, primary, backup } = await startSetup();
    await primary.setFault({ type: 'status', status: 503 });
    await backup.setFault({ type: 'status', status: 503 });
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers GET /readyz 503 once every breaker is open, and 200 while one is closed', async () => {
    const { gateway, client, primary, backup } = await startSetup({ breaker: { failureThreshold: 1, cooldownMs: 600_000 } });
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    await primary.setFault({ type: 'status', status: 503 });
    await client.chat.completions.create(PROMPT);
    const halfDown = await fetch(`${gateway.url}/readyz`);
    expect(halfDown.status).toBe(200);
    await backup.setFault({ type: 'status', status: 503 });
    await client.chat.completions.create(PROMPT).catch(() => {});
    const allDown = await fetch(`${gateway.url}/readyz`);
    expect(allDown.status).toBe(503);
    expect(await allDown.json()).toEqual({
      ready: false,
      providers: [
        { name: 'primary', breaker: 'open', usable: false },
        { name: 'backup', breaker: 'open', usable: false },
      ],
    });
  });

  it('counts requests, attempts, failovers, breaker states and latency on GET /metrics', async () => {
    const { gateway, client, primary } = await startSetup({ breaker: { failureThreshold: 1, cooldownMs: 600_000 } });
    await primary.setFault({ type: 'status', status: 503 });
    await client.chat.completions.create(PROMPT);
    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('understudy_requests_total{outcome="answered"} 1');
    expect(text).toContain('understudy_attempts_total{provider="primary"} 1');
    expect(text).toContain('understudy_failures_total{provider="primary",kind="server"} 1');
    expect(text).toContain('understudy_failovers_total{from="primary",to="backup"} 1');
    expect(text).toContain('understudy_breaker_state{provider="primary"} 2');
    expect(text).toContain('understudy_breaker_state{provider="backup"} 0');
    expect(text).toContain('understudy_request_duration_seconds_count{provider="backup"} 1');
    expect(text).toContain('understudy_request_duration_seconds_bucket{le="+Inf",provider="backup"} 1');
    expect(text).toContain('understudy_http_requests_total{route="/v1/chat/completions",code="200"} 1');
  });

  it('streams engine events on GET /events as JSON data lines', async () => {
    const { gateway, client, primary } = await startSetup();
    await primary.setFault({ type: 'status', status: 503 });
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await reader.read(); // the `: connected` comment: the subscription is in place
    await client.chat.completions.create(PROMPT);
    let text = '';
    while (!text.includes('"type":"success"')) text += (await reader.read()).value ?? '';
    controller.abort();
    const types = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => (JSON.parse(line.slice(6)) as { type: string }).type);
    expect(types).toEqual(['attempt', 'failure', 'failover', 'attempt', 'success']);
  });

  it('answers an unknown path 404 and a wrong method 405, OpenAI-shaped', async () => {
    const { gateway } = await startSetup();
    const missing = await fetch(`${gateway.url}/v1/embeddings`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'unknown_url' } });
    const wrong = await fetch(`${gateway.url}/v1/chat/completions`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('answers a body that is not JSON with a 400', async () => {
    const { gateway } = await startSetup();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', body: '{"messages": [' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
