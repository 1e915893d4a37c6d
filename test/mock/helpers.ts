import OpenAI from 'openai';

/**
 * An OpenAI SDK client with its own retries off, so each call is exactly one request. The
 * timeout is a safety net; tests that rely on something else ending a call raise it beyond the
 * test's own timeout, so the SDK giving up cannot make them pass.
 */
export function clientFor(baseURL: string, apiKey = 'sk-test', timeout = 5_000): OpenAI {
  return new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout });
}

/** Longer than any test may run: a call given this timeout is never ended by the SDK. */
export const NO_SDK_TIMEOUT = 60_000;

/** Every `code` along an error's `cause` chain (ECONNRESET and friends hide a few levels down). */
export function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 10; depth++) {
    if ('code' in current && current.code !== undefined) codes.push(String(current.code));
    current = 'cause' in current ? current.cause : undefined;
  }
  return codes;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Reads a stream to the end, collecting the content pieces; rethrows a failure with the pieces seen so far. */
export async function collectStream(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): Promise<string[]> {
  const pieces: string[] = [];
  try {
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) pieces.push(content);
    }
  } catch (error) {
    throw Object.assign(error as object, { piecesBeforeFailure: pieces });
  }
  return pieces;
}

/** A tiny chat request for the mock's default model. */
export const hello = { model: 'mock-model', messages: [{ role: 'user' as const, content: 'hi there' }] };
