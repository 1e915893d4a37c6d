import type { MockMessage, ReceivedRequest } from '../../src/mock/server.js';

/**
 * Requests that use every field an agent relies on, and that must reach whichever provider
 * answers exactly as the caller wrote them: tools and tool_choice, a structured output format,
 * n, seed, stop, user, multimodal content parts, and fields no one here has heard of.
 */
const tools = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'The weather in a city, now.',
      parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city'], additionalProperties: false },
      strict: true,
    },
  },
] as const;

const multimodalMessages = [
  { role: 'system', content: 'You are terse.' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'What is in this picture, and what is the weather there?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', detail: 'low' } },
    ],
  },
] as const;

/** Tools, forced tool choice, n, seed, stop, user, image parts, and unknown extras (a vendor's and a made-up one). */
export const TOOL_REQUEST = {
  messages: multimodalMessages,
  tools,
  tool_choice: { type: 'function', function: { name: 'get_weather' } },
  parallel_tool_calls: false,
  n: 2,
  seed: 42,
  stop: ['\n\n', 'END'],
  user: 'user-1234',
  temperature: 0.25,
  top_p: 0.9,
  metadata: { ticket: 'INC-7' },
  safe_prompt: false,
  x_understudy_unknown: { nested: [1, 2.5, 'three', null, true], 'ünïcode': '✓' },
} as const;

/** A JSON Schema answer format (strict), with the other fields that often travel with it. */
export const SCHEMA_REQUEST = {
  messages: [{ role: 'user', content: 'Triage: disk full on db-1.' }],
  response_format: {
    type: 'json_schema',
    json_schema: {
      name: 'triage',
      strict: true,
      schema: { type: 'object', properties: { severity: { type: 'string', enum: ['low', 'high'] }, summary: { type: 'string' } }, required: ['severity', 'summary'], additionalProperties: false },
    },
  },
  seed: 7,
  max_tokens: 200,
  logit_bias: { '50256': -100 },
} as const;

/** JSON mode. */
export const JSON_OBJECT_REQUEST = {
  messages: [{ role: 'user', content: 'Reply with a JSON object with a "severity" key.' }],
  response_format: { type: 'json_object' },
  stop: 'END',
  user: 'user-5678',
} as const;

/** The fallback's answer to a tool request: a call, no text, and fields of the vendor's own that must come back too. */
export const TOOL_ANSWER: MockMessage = {
  content: null,
  extra: { reasoning_content: 'The user asked about Paris.', x_vendor: { cached: true } },
  tool_calls: [{ id: 'call_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' } }],
};

/** The body a provider must receive: the caller's request, byte for byte, with the provider's own model and the stream flag. */
export function expectedBody(request: object, model: string, stream: boolean): string {
  return JSON.stringify({ ...request, model, stream });
}

/** The chat-completion bodies a mock received, as sent. */
export function completionBodies(received: readonly ReceivedRequest[]): string[] {
  return received.filter((request) => request.method === 'POST' && request.path.endsWith('/chat/completions')).map((request) => request.body);
}

/** An answer or chunk without what differs between two calls (ids, timestamps, the model name). */
export function shapeOf(value: unknown): unknown {
  const { id: _id, created: _created, model: _model, provider: _provider, attempts: _attempts, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** What a mock answers when asked directly (no engine in between): the shape every path must give back. */
export async function directCompletion(baseURL: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: false }) });
  return (await response.json()) as Record<string, unknown>;
}

/** The chunks a mock streams when asked directly, `[DONE]` left out. */
export async function directChunks(baseURL: string, body: object): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: true }) });
  const text = await response.text();
  return text
    .split('\n\n')
    .map((event) => event.replace(/^data: /, '').trim())
    .filter((data) => data !== '' && data !== '[DONE]')
    .map((data) => JSON.parse(data) as Record<string, unknown>);
}

/** Each top-level field of a JSON body as its own JSON text: byte-identical fields, whatever their order. */
export function fieldTexts(body: string): Record<string, string> {
  return Object.fromEntries(Object.entries(JSON.parse(body) as Record<string, unknown>).map(([name, value]) => [name, JSON.stringify(value)]));
}
