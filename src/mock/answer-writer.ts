import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './faults.js';

/**
 * Writes a normal answer (the mock's own or one the proxy relays) and plays the faults that
 * shape an answer rather than replace it: `slow-first-token` and `drop-mid-stream`. The server
 * and the proxy both write through this, so each fault has one implementation.
 */
export class AnswerWriter {
  private stream = false;
  private eventsSent = 0;
  private pending = '';
  private dropped = false;
  /** Aborted when the client goes away, so no delay outlives its connection. */
  private readonly gone = new AbortController();

  /**
   * @param res the response to write to
   * @param fault the fault to play into the answer, if any (terminal faults are not this class's job)
   */
  constructor(
    private readonly res: ServerResponse,
    private readonly fault: Fault | undefined,
  ) {
    res.once('close', () => this.gone.abort());
  }

  /** False once the connection was dropped or closed: stop producing output. */
  get open(): boolean {
    return !this.dropped && !this.gone.signal.aborted;
  }

  /** Sends the status and headers. A stream is recognised by its `text/event-stream` content type. */
  async head(status: number, headers: OutgoingHttpHeaders): Promise<boolean> {
    this.stream = String(headers['content-type'] ?? '').includes('text/event-stream');
    const slow = this.fault?.type === 'slow-first-token' ? this.fault.delayMs : 0;
    if (slow > 0 && !this.stream && !(await this.wait(slow))) return false;
    this.res.writeHead(status, headers);
    if (this.stream) this.res.flushHeaders();
    if (slow > 0 && this.stream && !(await this.wait(slow))) return false;
    if (this.fault?.type === 'drop-mid-stream' && this.stream && this.fault.afterChunks <= 0) this.drop();
    return this.open;
  }

  /** Writes part of the body; under `drop-mid-stream` only what the fault lets through. */
  async write(data: string | Buffer): Promise<boolean> {
    if (!this.open) return false;
    if (this.fault?.type !== 'drop-mid-stream') return this.send(data);
    if (!this.stream) {
      // A plain answer: half the body arrives, then the connection dies.
      const bytes = Buffer.from(data);
      await this.send(bytes.subarray(0, Math.floor(bytes.length / 2)));
      this.drop();
      return false;
    }
    return this.writeEvents(data, this.fault.afterChunks);
  }

  /** Ends the response normally (unless a fault already ended the connection). */
  end(): void {
    if (this.open) this.res.end();
  }

  /** Waits `ms`, or less if the client leaves; true if the client is still there. */
  async wait(ms: number): Promise<boolean> {
    if (ms > 0) await sleep(ms, undefined, { signal: this.gone.signal }).catch(() => undefined);
    return this.open;
  }

  /** Passes whole SSE events through until `limit` of them went out, then drops the connection. */
  private async writeEvents(data: string | Buffer, limit: number): Promise<boolean> {
    // A compressed stream cannot be split into events: count the pieces as they come instead.
    if (this.res.getHeader('content-encoding')) {
      await this.send(data);
      if (++this.eventsSent >= limit) this.drop();
      return this.open;
    }
    this.pending += data.toString();
    let boundary: RegExpExecArray | null;
    while ((boundary = /\r?\n\r?\n/.exec(this.pending)) !== null) {
      const end = boundary.index + boundary[0].length;
      const event = this.pending.slice(0, end);
      this.pending = this.pending.slice(end);
      await this.send(event);
      if (++this.eventsSent >= limit) {
        this.drop();
        return false;
      }
    }
    return this.open;
  }

  private async send(data: string | Buffer): Promise<boolean> {
    if (!this.open) return false;
    // Wait for the write to be flushed so a drop right after it cannot swallow it; stop
    // waiting if the client leaves, as a write callback may then never come.
    const signal = this.gone.signal;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      this.res.write(data, () => done());
    });
    return this.open;
  }

  /**
   * Closes the connection mid-body. A plain close (not a reset) so the bytes already sent reach
   * the client; the missing end of the chunked body is what makes the client fail.
   */
  private drop(): void {
    this.dropped = true;
    this.res.socket?.destroy();
  }
}
