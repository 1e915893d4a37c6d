import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateObject, generateText, jsonSchema, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FALLBACK_TEXT, REJECTION, startClientGateway, WEATHER } from './gateway.js';

// The Vercel AI SDK (`ai` with `@ai-sdk/openai-compatible`) against `understudy serve`, retries off.

const modelAt = (baseURL: string) =>
  createOpenAICompatible({ name: 'understudy', baseURL, apiKey: 'any-key', includeUsage: true, supportsStructuredOutputs: true }).chatModel('gpt-4o');
const prompt = 'What is the weather in Paris?';
const getWeather = tool({ description: 'Current weather in a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) });

describe('AI SDK through understudy serve, primary dead', () => {
  it('gets a plain answer from the fallback', async () => {
    const { baseURL, primary } = await startClientGateway('dead');
    const { text, finishReason } = await generateText({ model: modelAt(baseURL), prompt, maxRetries: 0 });
    expect(text).toBe(FALLBACK_TEXT);
    expect(finishReason).toBe('stop');
    expect(primary.received).toHaveLength(0);
  });

  it('streams the fallback answer, with its usage', async () => {
    const { baseURL } = await startClientGateway('dead');
    const errors: unknown[] = [];
    const result = streamText({ model: modelAt(baseURL), prompt, maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    expect(errors).toEqual([]);
    expect(text).toBe(FALLBACK_TEXT);
    expect((await result.usage).totalTokens).toBeGreaterThan(0);
  });

  it("gets the fallback's tool call, from a JSON answer and from streamed deltas", async () => {
    const { baseURL, fallbackRequests } = await startClientGateway('dead');
    const settings = { model: modelAt(baseURL), prompt, tools: { get_weather: getWeather }, toolChoice: 'required' as const, maxRetries: 0 };
    const whole = await generateText(settings);
    expect(whole.toolCalls).toEqual([expect.objectContaining({ toolCallId: 'call_fallback_1', toolName: 'get_weather', input: { city: 'Paris' } })]);

    const streamed = streamText(settings);
    expect(await streamed.toolCalls).toEqual([expect.objectContaining({ toolCallId: 'call_fallback_1', toolName: 'get_weather', input: { city: 'Paris' } })]);
    expect(fallbackRequests()[0]).toMatchObject({ tools: [{ type: 'function', function: { name: 'get_weather' } }], tool_choice: 'required' });
  });

  it('gets structured output (json_schema) parsed by generateObject', async () => {
    const { baseURL, fallbackRequests } = await startClientGateway('dead');
    const { object } = await generateObject({ model: modelAt(baseURL), prompt, schema: z.object({ city: z.string(), temperature: z.number() }), schemaName: 'weather', maxRetries: 0 });
    expect(object).toEqual(WEATHER);
    expect(fallbackRequests()[0]!['response_format']).toMatchObject({ type: 'json_schema', json_schema: { name: 'weather' } });
  });
});

describe('AI SDK through understudy serve, primary rejects the request', () => {
  it("raises the AI SDK's APICallError with the vendor's param and code, and nothing is failed over", async () => {
    const { baseURL, fallback } = await startClientGateway('rejects');
    const error = await generateText({ model: modelAt(baseURL), prompt, maxRetries: 0 }).catch((thrown: unknown) => thrown);
    expect(APICallError.isInstance(error)).toBe(true);
    const call = error as APICallError;
    expect(call.statusCode).toBe(400);
    expect(call.isRetryable).toBe(false);
    expect(call.message).toBe(REJECTION.error.message);
    expect(call.data).toEqual(REJECTION);
    expect(fallback.counters.completions).toBe(0);
  });
});
