import { ChatOpenAI } from '@langchain/openai';
import { BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FALLBACK_TEXT, REJECTION, startClientGateway, WEATHER } from './gateway.js';

// LangChain.js (`@langchain/openai`'s ChatOpenAI) against `understudy serve`, its retries off.

const chat = (baseURL: string) => new ChatOpenAI({ model: 'gpt-4o', apiKey: 'any-key', maxRetries: 0, configuration: { baseURL } });
const ask = 'What is the weather in Paris?';
const Weather = z.object({ city: z.string(), temperature: z.number() });
const getWeather = { name: 'get_weather', description: 'Current weather in a city', schema: z.object({ city: z.string() }) };

describe('LangChain ChatOpenAI through understudy serve, primary dead', () => {
  it('gets a plain answer from the fallback', async () => {
    const { baseURL, primary } = await startClientGateway('dead');
    const message = await chat(baseURL).invoke(ask);
    expect(message.content).toBe(FALLBACK_TEXT);
    expect(primary.received).toHaveLength(0);
  });

  it('streams the fallback answer', async () => {
    const { baseURL } = await startClientGateway('dead');
    let text = '';
    for await (const chunk of await chat(baseURL).stream(ask)) text += typeof chunk.content === 'string' ? chunk.content : '';
    expect(text).toBe(FALLBACK_TEXT);
  });

  it("gets the fallback's tool call as LangChain tool_calls, from streamed deltas too", async () => {
    const { baseURL, fallbackRequests } = await startClientGateway('dead');
    const model = chat(baseURL).bindTools([getWeather], { tool_choice: 'get_weather' });
    const message = await model.invoke(ask);
    expect(message.tool_calls).toEqual([expect.objectContaining({ id: 'call_fallback_1', name: 'get_weather', args: { city: 'Paris' } })]);

    let gathered: Awaited<ReturnType<typeof model.invoke>> | undefined;
    for await (const chunk of await model.stream(ask)) gathered = gathered ? (gathered.concat(chunk) as typeof gathered) : chunk;
    expect(gathered!.tool_calls).toEqual([expect.objectContaining({ id: 'call_fallback_1', name: 'get_weather', args: { city: 'Paris' } })]);
    expect(fallbackRequests()[0]).toMatchObject({ tools: [{ type: 'function', function: { name: 'get_weather' } }], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
  });

  it('gets structured output (json_schema) parsed by withStructuredOutput', async () => {
    const { baseURL, fallbackRequests } = await startClientGateway('dead');
    const answer = await chat(baseURL).withStructuredOutput(Weather, { name: 'weather', method: 'jsonSchema' }).invoke(ask);
    expect(answer).toEqual(WEATHER);
    expect(fallbackRequests()[0]!['response_format']).toMatchObject({ type: 'json_schema', json_schema: { name: 'weather' } });
  });
});

describe('LangChain ChatOpenAI through understudy serve, primary rejects the request', () => {
  it("raises the openai BadRequestError LangChain surfaces, with the vendor's param and code, and nothing is failed over", async () => {
    const { baseURL, fallback } = await startClientGateway('rejects');
    const error = await chat(baseURL)
      .invoke(ask)
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, param: REJECTION.error.param, code: REJECTION.error.code });
    expect(fallback.counters.completions).toBe(0);
  });
});
