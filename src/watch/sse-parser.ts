/** One dispatched server-sent event. */
export interface SseMessage {
  /** The `event:` field, `message` when there was none. */
  readonly event: string;
  /** Every `data:` line of the event, joined with newlines. */
  readonly data: string;
}

/**
 * A minimal `text/event-stream` reader (the WHATWG rules that matter to a JSON event feed):
 * lines end in LF, CRLF or CR; a blank line dispatches the event; `:` starts a comment (the
 * gateway's heartbeat); one optional space after the colon is dropped; `id:` and `retry:` are
 * ignored, since a reconnect always starts from a fresh snapshot. Chunks may split anywhere.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  /** A chunk ended in CR: an LF at the start of the next one belongs to the same line end. */
  private pendingCr = false;

  /** Feeds a chunk of text; returns the events it completed, in order. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.buffer.slice(0, end);
      let next = end + 1;
      if (this.buffer[end] === '\r') {
        if (next === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[next] === '\n') next++;
      }
      this.buffer = this.buffer.slice(next);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const event = this.event || 'message';
    const data = this.data;
    this.data = [];
    this.event = '';
    // An event with no data line is not dispatched (the spec's rule).
    return data.length === 0 ? undefined : { event, data: data.join('\n') };
  }
}
