import { afterEach } from 'vitest';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { startMockProvider, type MockMessage, type MockProvider } from '../../src/mock/server.js';
import { startGateway, type Gateway } from '../../src/serve/server.js';
import { completionBodies } from '../support/rich-request.js';

// Clients that no one here wrote (the openai SDK, LangChain.js, the Vercel AI SDK), each pointed
// at `understudy serve` as its OpenAI-compatible base URL, exactly as a user's agent would be.
// Behind the gateway: a primary and a fallback mock on 127.0.0.1, port 0.

/** What the fallback answers: a call of the first tool offered, JSON when a format was asked, else text. */
export const WEATHER = { city: 'Paris', temperature: 21 };
export const FALLBACK_TEXT = 'The fallback answered this.';

function fallbackReply(request: ChatCompletionCreateParams): string | MockMessage {
  const tool = request.tools?.[0];
  if (tool && tool.type === 'function') {
    return { content: null, tool_calls: [{ id: 'call_fallback_1', type: 'function', function: { name: tool.function.name, arguments: JSON.stringify({ city: 'Paris' }) } }] };
  }
  if (request.response_format && request.response_format.type !== 'text') return JSON.stringify(WEATHER);
  return FALLBACK_TEXT;
}

/** The error a vendor gives for a request it refuses: the client must get its own error class carrying these. */
export const REJECTION = {
  error: {
    message: "Invalid value for 'response_format': json_schema is not supported with this model.",
    type: 'invalid_request_error',
    param: 'response_format',
    code: 'unsupported_value',
  },
} as const;

export interface ClientGateway {
  readonly primary: MockProvider;
  readonly fallback: MockProvider;
  readonly gateway: Gateway;
  /** What an OpenAI client takes as its base URL. */
  readonly baseURL: string;
  /** The chat requests the fallback received, parsed. */
  fallbackRequests(): Array<Record<string, unknown>>;
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((close) => close()));
});

/**
 * A gateway over a primary and a fallback. `primary: 'dead'` refuses every connection (the
 * client must never notice); `'rejects'` answers every request with REJECTION's 400.
 */
export async function startClientGateway(primaryState: 'dead' | 'rejects'): Promise<ClientGateway> {
  const primary = await startMockProvider({ name: 'primary', models: ['primary-model'], record: true });
  const fallback = await startMockProvider({ name: 'fallback', models: ['fallback-model'], record: true, reply: fallbackReply });
  const gateway = await startGateway(
    {
      providers: [
        { name: 'primary', baseURL: primary.baseURL, apiKey: 'sk-primary-0001', model: 'primary-model' },
        { name: 'fallback', baseURL: fallback.baseURL, apiKey: 'sk-fallback-0002', model: 'fallback-model' },
      ],
      retry: { maxRetries: 0 },
    },
    { port: 0 },
  );
  running.push(async () => {
    await gateway.close({ graceMs: 500 });
    await Promise.all([primary.close(), fallback.close()]);
  });
  if (primaryState === 'dead') await primary.setFault({ type: 'refuse' });
  else await primary.setFault({ type: 'status', status: 400, body: REJECTION });
  return {
    primary,
    fallback,
    gateway,
    baseURL: `${gateway.url}/v1`,
    fallbackRequests: () => completionBodies(fallback.received).map((body) => JSON.parse(body) as Record<string, unknown>),
  };
}
