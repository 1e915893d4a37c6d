import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseMessage } from '../../src/providers/sse.js';

/** Feeds `text` cut at every position in `cuts`, and returns every event it completed. */
function decode(text: string, cuts: readonly number[] = []): SseMessage[] {
  const decoder = new SseDecoder();
  const messages: SseMessage[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    messages.push(...decoder.push(text.slice(from, cut)));
    from = cut;
  }
  return messages;
}

/** Every way of cutting `text` in two, plus one byte at a time. */
function everySplit(text: string): number[][] {
  return [[], ...Array.from({ length: text.length - 1 }, (_, index) => [index + 1]), Array.from({ length: text.length - 1 }, (_, index) => index + 1)];
}

describe('the SSE decoder', () => {
  it('reads \\n-ended events however the text is cut', () => {
    const text = 'data: {"a":1}\n\n: comment\n\nevent: thread.run\ndata: one\ndata: two\n\nid: 7\ndata:x\n\n';
    for (const cuts of everySplit(text)) {
      expect(decode(text, cuts)).toEqual([
        { event: null, data: '{"a":1}' },
        { event: 'thread.run', data: 'one\ntwo' },
        { event: null, data: 'x' },
      ]);
    }
  });

  it('reads \\r\\n and \\r line ends, mixed with \\n, however the text is cut', () => {
    const text = 'data: a\r\n\r\ndata: b\r\rdata: c\n\r\ndata: d\n\n';
    for (const cuts of everySplit(text)) {
      expect(decode(text, cuts).map((message) => message.data)).toEqual(['a', 'b', 'c', 'd']);
    }
  });

  it('drops an event the body ends before closing', () => {
    expect(decode('data: whole\n\ndata: cut')).toEqual([{ event: null, data: 'whole' }]);
  });
});
