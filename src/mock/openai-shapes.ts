import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { Model } from 'openai/resources/models';

/**
 * The OpenAI wire shapes the mock answers with, built from the SDK's own types so the compiler
 * tells us when they drift from what real clients parse.
 */

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export function openAIError(message: string, type: string, code: string | null, param: string | null = null): object {
  return { error: { message, type, param, code } };
}

/** `GET /models`: every configured model, owned by the mock. */
export function modelList(models: readonly string[], ownedBy: string, created: number): { object: 'list'; data: Model[] } {
  return { object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: ownedBy })) };
}

/** The reply cut to the request's token limit (one word per token: rough, deterministic, keeps drill answers tiny). */
export function limitReply(text: string, request: ChatCompletionCreateParams): { content: string; truncated: boolean } {
  const limit = request.max_completion_tokens ?? request.max_tokens;
  if (limit === undefined || limit === null) return { content: text, truncated: false };
  const words = text.split(/\s+/).filter(Boolean);
  const keep = Math.max(1, Math.floor(limit));
  if (words.length <= keep) return { content: text, truncated: false };
  return { content: words.slice(0, keep).join(' '), truncated: true };
}

/** A deterministic token count: words in the text (good enough for usage numbers that add up). */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Usage for a request and its answer: prompt words, answer words and their sum. */
export function usageFor(request: ChatCompletionCreateParams, content: string): CompletionUsage {
  const prompt = request.messages.reduce((sum, message) => sum + countTokens(messageText(message.content)), 0);
  const completion = countTokens(content);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** The text of a message's content, whether a string or an array of parts. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: unknown) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : '')).join(' ');
}

/** Identity shared by a completion and all the chunks of one stream. */
export interface AnswerIdentity {
  readonly id: string;
  readonly model: string;
  readonly created: number;
}

/** A whole `chat.completion`. */
export function completion(identity: AnswerIdentity, content: string, finishReason: 'stop' | 'length', usage: CompletionUsage): ChatCompletion {
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finishReason, logprobs: null }],
    usage,
  };
}

/**
 * The chunks of a streamed answer: the content in several pieces (the first also carries the
 * role), a last chunk with the finish reason, and a usage chunk when asked for.
 */
export function streamChunks(
  identity: AnswerIdentity,
  content: string,
  finishReason: 'stop' | 'length',
  usage: CompletionUsage | undefined,
): ChatCompletionChunk[] {
  const base = { id: identity.id, object: 'chat.completion.chunk' as const, created: identity.created, model: identity.model };
  // OpenAI sends `usage: null` on every chunk once usage was asked for.
  const usageField = usage ? { usage: null } : {};
  const pieces = splitIntoPieces(content);
  const chunks: ChatCompletionChunk[] = pieces.map((piece, index) => ({
    ...base,
    ...usageField,
    choices: [{ index: 0, delta: index === 0 ? { role: 'assistant', content: piece } : { content: piece }, finish_reason: null, logprobs: null }],
  }));
  chunks.push({ ...base, ...usageField, choices: [{ index: 0, delta: {}, finish_reason: finishReason, logprobs: null }] });
  if (usage) chunks.push({ ...base, choices: [], usage });
  return chunks;
}

/** Words with their trailing space, so the pieces concatenate back to the exact text. */
export function splitIntoPieces(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [];
  return pieces.length > 0 ? pieces : [''];
}

/** One server-sent event carrying a JSON payload (or the `[DONE]` marker). */
export function sseEvent(data: object | '[DONE]'): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
