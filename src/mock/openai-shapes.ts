import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';
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

/** What the assistant answers, in every choice: text, tool calls, or both. */
export interface AssistantAnswer {
  readonly content: string | null;
  readonly toolCalls: readonly ChatCompletionMessageFunctionToolCall[];
  readonly finishReason: 'stop' | 'length' | 'tool_calls';
  /** A vendor's own message fields (DeepSeek's `reasoning_content`), in the message and in the first delta. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** A whole `chat.completion` with `choices` copies of the answer (the request's `n`). */
export function completion(identity: AnswerIdentity, answer: AssistantAnswer, choices: number, usage: CompletionUsage): ChatCompletion {
  const message = {
    role: 'assistant' as const,
    content: answer.content,
    refusal: null,
    ...answer.extra,
    ...(answer.toolCalls.length > 0 ? { tool_calls: answer.toolCalls.map((call) => ({ ...call, function: { ...call.function } })) } : {}),
  };
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: Array.from({ length: choices }, (_, index) => ({ index, message, finish_reason: answer.finishReason, logprobs: null })),
    usage,
  };
}

/**
 * The chunks of a streamed answer, choice after choice: the content in several pieces (the
 * first also carries the role), each tool call as OpenAI streams it (id and name first, then
 * the arguments in pieces), a last chunk with the finish reason, and a usage chunk when asked for.
 */
export function streamChunks(identity: AnswerIdentity, answer: AssistantAnswer, choices: number, usage: CompletionUsage | undefined): ChatCompletionChunk[] {
  const base = { id: identity.id, object: 'chat.completion.chunk' as const, created: identity.created, model: identity.model };
  // OpenAI sends `usage: null` on every chunk once usage was asked for.
  const usageField = usage ? { usage: null } : {};
  const chunk = (index: number, delta: ChatCompletionChunk.Choice.Delta, finishReason: AssistantAnswer['finishReason'] | null = null): ChatCompletionChunk => ({
    ...base,
    ...usageField,
    choices: [{ index, delta, finish_reason: finishReason, logprobs: null }],
  });
  const chunks: ChatCompletionChunk[] = [];
  for (let index = 0; index < choices; index++) {
    const deltas: ChatCompletionChunk.Choice.Delta[] = [];
    if (answer.content !== null) deltas.push(...splitIntoPieces(answer.content).map((content) => ({ content })));
    answer.toolCalls.forEach((call, callIndex) => {
      deltas.push({ tool_calls: [{ index: callIndex, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
      for (const piece of splitArguments(call.function.arguments)) deltas.push({ tool_calls: [{ index: callIndex, function: { arguments: piece } }] });
    });
    if (deltas.length === 0) deltas.push({ content: '' });
    deltas.forEach((delta, position) => chunks.push(chunk(index, position === 0 ? { role: 'assistant', ...answer.extra, ...delta } : delta)));
    chunks.push(chunk(index, {}, answer.finishReason));
  }
  if (usage) chunks.push({ ...base, choices: [], usage });
  return chunks;
}

/** A tool call's JSON arguments in three pieces, as a model streams them: no piece is JSON on its own. */
function splitArguments(text: string): string[] {
  if (text.length < 3) return [text];
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)];
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
