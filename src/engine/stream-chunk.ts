import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatCompletionChunk } from './types.js';

/**
 * One chunk of a streamed answer as the provider sent it. The engine asks every chunk only
 * whether it ends the answer and whether it carries usage; over the http transport both are
 * answered from the JSON text, and the text is parsed only for a chunk where they are not null
 * (the last one or two of a stream) or when someone reads `value`. A gateway relaying a stream
 * sends `json` on unchanged and never parses the rest.
 */
export class StreamChunk {
  private parsed: ChatCompletionChunk | undefined;

  private constructor(
    private text: string | undefined,
    parsed: ChatCompletionChunk | undefined,
  ) {
    this.parsed = parsed;
  }

  /** A chunk read off the wire, kept as its one-line JSON text (a `data:` line cannot hold a line break). */
  static fromJson(text: string): StreamChunk {
    return new StreamChunk(text, undefined);
  }

  /** A chunk some other reader (the openai SDK) has already parsed. */
  static of(value: ChatCompletionChunk): StreamChunk {
    return new StreamChunk(undefined, value);
  }

  /** The chunk as an object, parsed on first use. A text that is not JSON throws its SyntaxError. */
  get value(): ChatCompletionChunk {
    return (this.parsed ??= JSON.parse(this.text!) as ChatCompletionChunk);
  }

  /** The chunk as JSON: the provider's own text when there is one, so a relay sends what it was sent. */
  get json(): string {
    return (this.text ??= JSON.stringify(this.parsed));
  }

  /** Whether the first choice has a finish_reason: the answer is complete. */
  get final(): boolean {
    if (this.parsed === undefined && !hasNonNull(this.text!, '"finish_reason"')) return false;
    return Boolean(this.value.choices?.[0]?.finish_reason);
  }

  /** The token counts (sent on the last chunk when the caller asked for them), if any. */
  get usage(): CompletionUsage | undefined {
    if (this.parsed === undefined && !hasNonNull(this.text!, '"usage"')) return undefined;
    return this.value.usage ?? undefined;
  }

  /** An `error` the provider put in the stream instead of a chunk, if any. */
  get error(): unknown {
    if (this.parsed === undefined && !hasNonNull(this.text!, '"error"')) return undefined;
    return (this.value as { error?: unknown }).error || undefined;
  }

  /**
   * Throws the SyntaxError of a chunk that is not JSON. `parse`: by parsing it (a reader of
   * `value` would meet that error outside the engine, which must class it as the provider's).
   * Otherwise a text from `{` to `}` passes unparsed: an event reaches the engine only once its
   * blank line arrived, so a stream cut mid-event never gets here, and a relay passes the rest on.
   */
  verify(parse: boolean): void {
    if (this.parsed !== undefined) return;
    const text = this.text!;
    if (parse || text.charCodeAt(0) !== 123 /* { */ || text.charCodeAt(text.length - 1) !== 125 /* } */) void this.value;
  }

  /** Whether the chunk carries any of the answer (text, a tool call, a refusal) or ends it. */
  get hasContent(): boolean {
    const choice = this.value.choices?.[0];
    if (!choice) return false;
    const delta = choice.delta;
    return Boolean(delta?.content || delta?.tool_calls?.length || delta?.refusal || choice.finish_reason);
  }
}

/**
 * False only when every `key` (written with its quotes) in the JSON text is followed by `null`,
 * or there is none: then the parsed object has no value there either. True means "parse to
 * know". The scan is sound because a quote inside a JSON string is always escaped, so `"key"`
 * cannot match inside a string's content; a string value that happens to equal the key is not
 * followed by a colon, and counts as "parse to know".
 */
function hasNonNull(text: string, key: string): boolean {
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + key.length)) {
    let index = skipSpace(text, at + key.length);
    if (text.charCodeAt(index) !== 58 /* : */) return true;
    index = skipSpace(text, index + 1);
    if (!text.startsWith('null', index)) return true;
  }
  return false;
}

function skipSpace(text: string, index: number): number {
  let code = text.charCodeAt(index);
  while (code === 32 || code === 9 || code === 10 || code === 13) code = text.charCodeAt(++index);
  return index;
}
