/** One server-sent event: its name (null when the event is unnamed) and its data lines joined by `\n`. */
export interface SseMessage {
  readonly event: string | null;
  readonly data: string;
}

const LF = 10;
const CR = 13;

/**
 * An incremental server-sent events parser, fed decoded text as it arrives. It reads events the
 * way the openai SDK does, so both transports see the same messages: lines end at `\n`, `\r\n`
 * or `\r`; a blank line dispatches the event; `:` comments and fields other than `event` and
 * `data` are ignored; one space after the colon is dropped. An event not closed by a blank line
 * when the body ends is dropped too (as the SDK does), so there is nothing to flush at the end.
 */
export class SseDecoder {
  /** The start of a line whose end has not arrived yet. */
  private partial = '';
  /** The last text ended in `\r`: a `\n` opening the next one belongs to that line end. */
  private afterCR = false;
  private event: string | null = null;
  private data: string[] = [];

  /** Feeds the next piece of the body; returns the events it completed, in order. */
  push(text: string): SseMessage[] {
    const messages: SseMessage[] = [];
    const input = this.partial === '' ? text : this.partial + text;
    let index = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (input.charCodeAt(0) === LF) index = 1;
    }
    let lineStart = index;
    // The common case, lines that end at \n alone: found with indexOf rather than a look at every character.
    if (input.indexOf('\r', index) < 0) {
      for (let end = input.indexOf('\n', index); end >= 0; end = input.indexOf('\n', lineStart)) {
        this.line(input.slice(lineStart, end), messages);
        lineStart = end + 1;
      }
      this.partial = lineStart === 0 ? input : input.slice(lineStart);
      return messages;
    }
    for (; index < input.length; index++) {
      const code = input.charCodeAt(index);
      if (code !== LF && code !== CR) continue;
      this.line(input.slice(lineStart, index), messages);
      if (code === CR) {
        if (index + 1 === input.length) this.afterCR = true;
        else if (input.charCodeAt(index + 1) === LF) index++;
      }
      lineStart = index + 1;
    }
    this.partial = lineStart === 0 ? input : input.slice(lineStart);
    return messages;
  }

  private line(line: string, messages: SseMessage[]): void {
    if (line === '') {
      if (!this.event && this.data.length === 0) return;
      messages.push({ event: this.event, data: this.data.length === 1 ? this.data[0]! : this.data.join('\n') });
      this.event = null;
      this.data = [];
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}
