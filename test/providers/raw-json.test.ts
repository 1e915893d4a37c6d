import { describe, expect, it } from 'vitest';
import { jsonOf, parseRemembered } from '../../src/providers/raw-json.js';

describe('raw JSON of parsed provider chunks', () => {
  it('gives back the text a value was parsed from, as the provider wrote it', () => {
    const text = '{"id":"c1", "choices":[{"delta":{"content":"hi"}}]}';
    const chunk = parseRemembered<{ id: string }>(text);
    expect(chunk.id).toBe('c1');
    expect(jsonOf(chunk)).toBe(text);
  });

  it('serialises anything it did not parse', () => {
    expect(jsonOf({ a: 1 })).toBe('{"a":1}');
    expect(jsonOf('[DONE]')).toBe('"[DONE]"');
    expect(jsonOf(null)).toBe('null');
  });

  it('does not remember a text that spans lines (an SSE data line cannot carry it)', () => {
    const chunk = parseRemembered<{ a: number }>('{"a":\n1}');
    expect(jsonOf(chunk)).toBe('{"a":1}');
  });
});
