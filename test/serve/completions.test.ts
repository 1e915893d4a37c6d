import { APIError, BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import { BACKUP_KEY, directAnswer, PROMPT, startSetup } from './helpers.js';

describe('POST /v1/chat/completions, JSON', () => {
  it('answers from the primary, sending it its own model, with the understudy headers', async () => {
    const { client, primary, backup } = await startSetup();
    const { data, response } = await client.chat.completions.create(PROMPT).withResponse();
    // The mock's default reply names the model it was sent: the provider's, not the client's alias.
    expect(data.choices[0]!.message.content).toBe('Hello from primary. You sent 1 message to p-model.');
    expect(response.headers.get('x-understudy-provider')).toBe('primary');
    expect(response.headers.get('x-understudy-attempts')).toBe('1');
    expect(response.headers.get('x-understudy-failover')).toBe('false');
    expect(primary.counters.completions).toBe(1);
    expect(backup.counters.completions).toBe(0);
  });

  it('returns the provider completion without understudy fields in the body', async () => {
    const { client } = await startSetup();
    const data = (await client.chat.completions.create(PROMPT)) as unknown as Record<string, unknown>;
    expect(data['object']).toBe('chat.completion');
    expect(data).not.toHaveProperty('attempts');
    expect(data).not.toHaveProperty('provider');
  });

  it('passes the request fields other than model and stream to the provider unchanged', async () => {
    const { client } = await startSetup();
    // The mock cuts its reply to max_tokens words: proof the field reached it.
    const data = await client.chat.completions.create({ ...PROMPT, max_tokens: 2 });
    expect(data.choices[0]!.message.content).toBe('Hello from');
    expect(data.choices[0]!.finish_reason).toBe('length');
  });

  it('fails over invisibly when the primary answers 503, and says so in the headers', async () => {
    const { client, primary, backup } = await startSetup();
    const expected = await directAnswer(backup, BACKUP_KEY, 'b-model');
    await primary.setFault({ type: 'status', status: 503 });
    const { data, response } = await client.chat.completions.create(PROMPT).withResponse();
    expect(data.choices[0]!.message.content).toBe(expected);
    expect(response.headers.get('x-understudy-provider')).toBe('backup');
    expect(response.headers.get('x-understudy-attempts')).toBe('2');
    expect(response.headers.get('x-understudy-failover')).toBe('true');
  });

  it('passes a 400 through with the provider message, without failing over', async () => {
    const { client, primary, backup } = await startSetup();
    await primary.setFault({
      type: 'status',
      status: 400,
      body: { error: { message: "Invalid value for 'temperature': must be at most 2.", type: 'invalid_request_error', param: 'temperature', code: null } },
    });
    const failure = await client.chat.completions.create(PROMPT).withResponse().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BadRequestError);
    const error = failure as BadRequestError;
    expect(error.status).toBe(400);
    expect(error.message).toContain("Invalid value for 'temperature': must be at most 2.");
    expect(error.headers?.get('x-understudy-provider')).toBe('primary');
    expect(backup.counters.completions).toBe(0);
  });

  it('answers 503 with Retry-After and every provider reason when all of them fail', async () => {
    const { client, primary, backup } = await startSetup();
    await primary.setFault({ type: 'status', status: 503 });
    await backup.setFault({ type: 'reset' });
    const failure = await client.chat.completions.create(PROMPT).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APIError);
    const error = failure as APIError;
    expect(error.status).toBe(503);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(error.headers?.get('x-understudy-attempts')).toBe('2');
    const body = error.error as { code: string; providers: Array<{ provider: string; status?: number; kind: string }> };
    expect(body.code).toBe('all_providers_failed');
    expect(body.providers).toEqual([
      expect.objectContaining({ provider: 'primary', status: 503, kind: 'server' }),
      expect.objectContaining({ provider: 'backup', kind: 'connection' }),
    ]);
  });

  it('sets Retry-After to when the soonest open breaker admits a trial', async () => {
    const { client, primary, backup } = await startSetup({ breaker: { failureThreshold: 1, cooldownMs: 42_000 } });
    await primary.setFault({ type: 'status', status: 503 });
    await backup.setFault({ type: 'status', status: 503 });
    const error = (await client.chat.completions.create(PROMPT).catch((thrown: unknown) => thrown)) as APIError;
    expect(error.status).toBe(503);
    expect(Number(error.headers?.get('retry-after'))).toBe(42);
  });

  it('never puts a provider key in an error answer', async () => {
    const { client, primary, backup } = await startSetup();
    await primary.setFault({ type: 'status', status: 401 });
    await backup.setFault({ type: 'status', status: 503 });
    const error = (await client.chat.completions.create(PROMPT).catch((thrown: unknown) => thrown)) as APIError;
    const text = JSON.stringify(error.error);
    expect(text).not.toContain('sk-primary-key-0001');
    expect(text).not.toContain(BACKUP_KEY);
  });
});
