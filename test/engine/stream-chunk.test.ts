import { describe, expect, it } from 'vitest';
import { StreamChunk } from '../../src/engine/stream-chunk.js';

// A text that breaks JSON.parse wherever it is read: a getter that answers without throwing
// on it has answered from the scan alone.
const UNPARSEABLE_TAIL = ',"x":}';

function wire(text: string): StreamChunk {
  return StreamChunk.fromJson(text);
}

describe('a stream chunk read from its JSON text', () => {
  it('keeps the provider text as it came, spacing, key order and vendor fields included', () => {
    const text = '{"choices":[{"delta":{"content":"hi"},"finish_reason":null,"index":0}], "id":"c1","x_vendor":{"queue":3}}';
    const chunk = wire(text);
    expect(chunk.json).toBe(text);
    expect(chunk.value).toEqual(JSON.parse(text));
  });

  it('serialises a chunk that came parsed', () => {
    expect(StreamChunk.of({ id: 'c1', choices: [] } as never).json).toBe('{"id":"c1","choices":[]}');
  });

  it('answers "not the end, no usage, no error" from the text when every such field is null', () => {
    const chunk = wire(`{"choices":[{"delta":{"content":"a"},"finish_reason" : null}],"usage":null,"error":null${UNPARSEABLE_TAIL}`);
    expect(chunk.final).toBe(false);
    expect(chunk.usage).toBeUndefined();
    expect(chunk.error).toBeUndefined();
  });

  it('answers the same for a chunk without those fields', () => {
    const chunk = wire(`{"choices":[{"delta":{"content":"a"}}]${UNPARSEABLE_TAIL}`);
    expect(chunk.final).toBe(false);
    expect(chunk.usage).toBeUndefined();
    expect(chunk.error).toBeUndefined();
  });

  it('is not fooled by the field names inside the content', () => {
    const content = JSON.stringify('"finish_reason":"stop","usage":{"prompt_tokens":1},"error":{"message":"x"}');
    const chunk = wire(`{"choices":[{"delta":{"content":${content}},"finish_reason":null}]${UNPARSEABLE_TAIL}`);
    expect(chunk.final).toBe(false);
    expect(chunk.usage).toBeUndefined();
    expect(chunk.error).toBeUndefined();
  });

  it('parses the chunk that ends the answer, however it is spaced', () => {
    expect(wire('{"choices":[{"delta":{},"finish_reason":"stop"}]}').final).toBe(true);
    expect(wire('{"choices":[{"delta":{},"finish_reason"\n:\t"length"}]}').final).toBe(true);
  });

  it('reads the first choice: another choice ending does not end the answer', () => {
    const chunk = wire('{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null},{"index":1,"delta":{},"finish_reason":"stop"}]}');
    expect(chunk.final).toBe(false);
  });

  it('reads usage and an error when they are there', () => {
    expect(wire('{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}').usage).toEqual({
      prompt_tokens: 3,
      completion_tokens: 2,
      total_tokens: 5,
    });
    expect(wire('{"error":{"message":"overloaded","code":529}}').error).toEqual({ message: 'overloaded', code: 529 });
  });

  it('takes a text shaped {…} as JSON when not asked to parse, and parses anything else', () => {
    expect(() => wire(`{"choices":[]${UNPARSEABLE_TAIL}`).verify(false)).not.toThrow();
    expect(() => wire(`{"choices":[]${UNPARSEABLE_TAIL}`).verify(true)).toThrow(SyntaxError);
    expect(() => wire('{"choices":[').verify(false)).toThrow(SyntaxError);
    expect(() => wire('overloaded').verify(false)).toThrow(SyntaxError);
    expect(() => wire('{"choices":[]}').verify(true)).not.toThrow();
  });

  it('says whether it carries any of the answer', () => {
    expect(wire('{"choices":[{"delta":{"role":"assistant","content":""}}]}').hasContent).toBe(false);
    expect(wire('{"choices":[{"delta":{"content":"a"}}]}').hasContent).toBe(true);
    expect(wire('{"choices":[{"delta":{"tool_calls":[{"index":0}]}}]}').hasContent).toBe(true);
    expect(wire('{"choices":[{"delta":{},"finish_reason":"stop"}]}').hasContent).toBe(true);
    expect(wire('{"choices":[]}').hasContent).toBe(false);
  });
});
