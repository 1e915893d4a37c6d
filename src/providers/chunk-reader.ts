import type { Readable } from 'node:stream';
import { APIError } from 'openai/error';
import { StreamChunk } from '../engine/stream-chunk.js';
import { connectionReset, type ProviderResponse } from './http-response.js';
import { SseDecoder } from './sse.js';
import { answerError } from './status-error.js';

/**
 * A streamed answer's chunks, read as the SDK's `Stream` reads them: `[DONE]` ends the answer
 * (the rest of the body is drained so the socket can be reused), an event whose data has an
 * `error` throws an APIError. Each chunk stays the provider's JSON text until something needs
 * it parsed (see StreamChunk). Aborted by the caller, it ends quietly, as the SDK's does (the
 * engine knows it aborted); left early (`return`), it destroys the socket.
 *
 * An iterator fed by the body's `data` events rather than a generator over the body's own async
 * iterator: every token of every stream passes here, and this way each costs one promise, not
 * three. The body is paused while chunks wait to be read, so a slow reader holds it back. One
 * `next()` at a time, as `for await` and the engine call it.
 */
export class ChunkReader implements AsyncIterableIterator<StreamChunk> {
  private readonly body: Readable;
  private readonly decoder = new SseDecoder();
  private queue: StreamChunk[] = [];
  private head = 0;
  /** `[DONE]` arrived: anything after it is read (to drain the socket) but not passed on. */
  private sawDone = false;
  /** Nothing more will be queued: the body ended, broke, or the reader was left. */
  private finished = false;
  /** What the reader gets once the queue is empty, when the body broke rather than ended. */
  private failure: Error | undefined;
  private waiting: { resolve: (result: IteratorResult<StreamChunk>) => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly response: ProviderResponse) {
    this.body = response.textBody();
    const ended = response.endedUnread();
    if (ended) {
      this.finish(ended);
      return;
    }
    this.body.on('data', (text: string) => this.take(text));
    this.body.once('end', () => this.finish(undefined, true));
    this.body.once('error', (error: unknown) => this.finish(error));
    // 'close' follows 'end' on every healthy body: only a close that came first is a break (and
    // only then is an error made: its stack trace is the dearest thing on this path).
    this.body.once('close', () => this.finished || this.finish(connectionReset()));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamChunk>> {
    if (this.head < this.queue.length) return Promise.resolve({ value: this.shift(), done: false });
    if (this.failure) return Promise.reject(this.failure);
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The reader stops early: the socket is destroyed, since an unread body cannot be reused. */
  return(): Promise<IteratorResult<StreamChunk>> {
    this.queue = [];
    this.head = 0;
    this.finish(undefined);
    return Promise.resolve({ value: undefined, done: true });
  }

  private take(text: string): void {
    if (this.finished) return;
    try {
      for (const message of this.decoder.push(text)) {
        if (this.sawDone) continue;
        if (message.data.startsWith('[DONE]')) {
          this.sawDone = true;
          continue;
        }
        this.queue.push(chunkOf(message.event, message.data, this.response));
      }
    } catch (error) {
      // What was read before the broken event still reaches the reader, then the error.
      return this.finish(error);
    }
    this.deliver();
    if (this.head < this.queue.length) this.body.pause();
  }

  /** The next queued chunk; once the queue is empty, the body flows again. */
  private shift(): StreamChunk {
    const chunk = this.queue[this.head++]!;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      if (!this.finished) this.body.resume();
    }
    return chunk;
  }

  /**
   * Nothing more will be queued. `drained`: the body ended whole, and the socket goes back to
   * the pool; otherwise it is destroyed. `error` (unless the caller aborted, which ends the
   * stream quietly) reaches the reader after the chunks already queued.
   */
  private finish(error: unknown, drained = false): void {
    if (this.finished) return;
    this.finished = true;
    if (drained) this.response.release();
    else this.response.destroy();
    if (error !== undefined && !this.response.aborted) {
      this.failure = error instanceof SyntaxError || error instanceof APIError ? error : this.response.failure(error);
    }
    this.deliver();
  }

  /** Settles a reader that is waiting, if there is anything to settle it with. */
  private deliver(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    if (this.head < this.queue.length) {
      this.waiting = undefined;
      waiting.resolve({ value: this.shift(), done: false });
    } else if (this.finished) {
      this.waiting = undefined;
      if (this.failure) waiting.reject(this.failure);
      else waiting.resolve({ value: undefined, done: true });
    }
  }
}

/** One event's chunk. Throws the SyntaxError of data that must be parsed now and is not JSON, or the APIError it carries. */
function chunkOf(event: string | null, data: string, response: ProviderResponse): StreamChunk {
  if (event !== null && event.startsWith('thread.')) {
    return StreamChunk.of({ event, data: JSON.parse(data) } as unknown as StreamChunk['value']);
  }
  // A data line cannot hold a line break: a JSON text split over several lines is parsed now.
  const chunk = data.includes('\n') ? StreamChunk.of(JSON.parse(data)) : StreamChunk.fromJson(data);
  const error = chunk.error;
  if (error) throw answerError(error, response.headers());
  return chunk;
}
