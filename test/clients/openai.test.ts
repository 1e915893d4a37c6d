import OpenAI, { BadRequestError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FALLBACK_TEXT, REJECTION, startClientGateway, WEATHER } from './gateway.js';

// The official openai SDK (v6) against `understudy serve`, its own retries off.

const client = (baseURL: string) => new OpenAI({ baseURL, apiKey: 'any-key', maxRetries: 0 });
const ask = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('openai SDK through understudy serve, primary dead', () => {
  it('gets a plain answer from the fallback', async () => {
    const { baseURL, primary } = await startClientGateway('dead');
    const completion = await client(baseURL).chat.completions.create({ model: 'gpt-4o', messages: ask });
    expect(completion.choices[0]!.message.content).toBe(FALLBACK_TEXT);
    expect(primary.received).toHaveLength(0);
  });

  it('streams the fallback answer', async () => {
    const { baseURL } = await startClientGateway('dead');
    const stream = await client(baseURL).chat.completions.create({ model: 'gpt-4o', messages: ask, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage ??= chunk.usage ?? undefined;
    }
    expect(text).toBe(FALLBACK_TEXT);
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it("gets the fallback's tool call, streamed and assembled by the SDK's own stream helper", async () => {
    const { baseURL, fallbackRequests } = await startClientGateway('dead');
    const runner = client(baseURL).chat.completions.stream({ model: 'gpt-4o', messages: ask, tools: [weatherTool], tool_choice: 'required' });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ id: 'call_fallback_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(fallbackRequests()[0]).toMatchObject({ tools: [weatherTool], tool_choice: 'required', stream: true });
  });

  it('gets structured output parsed by the SDK (json_schema)', async () => {
    const { baseURL, fallbackRequests } = await startClientGateway('dead');
    const Weather = z.object({ city: z.string(), temperature: z.number() });
    const completion = await client(baseURL).chat.completions.parse({ model: 'gpt-4o', messages: ask, response_format: zodResponseFormat(Weather, 'weather') });
    expect(completion.choices[0]!.message.parsed).toEqual(WEATHER);
    expect(fallbackRequests()[0]!['response_format']).toMatchObject({ type: 'json_schema', json_schema: { name: 'weather', strict: true } });
  });
});

describe('openai SDK through understudy serve, primary rejects the request', () => {
  it("raises the SDK's BadRequestError with the vendor's param and code, and nothing is failed over", async () => {
    const { baseURL, fallback } = await startClientGateway('rejects');
    const error = await client(baseURL)
      .chat.completions.create({ model: 'gpt-4o', messages: ask, response_format: { type: 'json_object' } })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, param: REJECTION.error.param, code: REJECTION.error.code, type: REJECTION.error.type });
    expect((error as BadRequestError).message).toContain(REJECTION.error.message);
    expect(fallback.counters.completions).toBe(0);
  });
});
