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
  /** Known from the text: no finish_reason, usage or error with a value (undefined: not looked yet). */
  private plain: boolean | undefined;

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
    return !this.isPlain && Boolean(this.value.choices?.[0]?.finish_reason);
  }

  /** The token counts (sent on the last chunk when the caller asked for them), if any. */
  get usage(): CompletionUsage | undefined {
    return this.isPlain ? undefined : (this.value.usage ?? undefined);
  }

  /** An `error` the provider put in the stream instead of a chunk, if any. */
  get error(): unknown {
    return this.isPlain ? undefined : (this.value as { error?: unknown }).error || undefined;
  }

  /** True when the text alone says the chunk has no finish_reason, usage or error: the middle of an answer. */
  private get isPlain(): boolean {
    return this.parsed === undefined && (this.plain ??= !FIELD_WITH_A_VALUE.test(this.text!));
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
 * A `finish_reason`, `usage` or `error` key whose value is not null, at any depth. No match
 * means the parsed chunk has none of them either: a quote inside a JSON string is always
 * escaped, so `"usage"` cannot match inside a string's content, and a string followed by a
 * colon is always a key. A match means "parse to know" (the last chunk or two of a stream).
 * One regular expression rather than a search per key: it is the one scan every chunk gets.
 * (`(?!\s|null)`, not `(?!null)`: the spaces before `null` must not be given back to let it match.)
 */
const FIELD_WITH_A_VALUE = /"(?:finish_reason|usage|error)"\s*:\s*(?!\s|null)/;
