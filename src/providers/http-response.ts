import type { ClientRequest, IncomingMessage } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { APIConnectionError, APIUserAbortError } from 'openai/error';
import type { CancelSignal } from '../engine/cancellation.js';

/**
 * A provider's response whose head has arrived, over `node:http`. It owns the rest of the
 * exchange: the body (decompressed when a server compressed it unasked), and the caller's
 * signal, which destroys the socket at once, at any point, until the body is read.
 */
export class ProviderResponse {
  readonly status: number;
  private readonly body: Readable;
  private released = false;

  constructor(
    private readonly req: ClientRequest,
    private readonly res: IncomingMessage,
    private readonly signal: CancelSignal,
    private readonly onAbort: () => void,
  ) {
    this.status = res.statusCode ?? 0;
    // Until a reader listens, a reset or an abort must not be an unhandled 'error' event.
    res.on('error', ignore);
    this.body = decoded(res);
  }

  /** A response header (lower-case name), first value only. */
  header(name: string): string | undefined {
    const value = this.res.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  /** The headers as the SDK's errors carry them (web `Headers`), repeated ones included. */
  headers(): Headers {
    const headers = new Headers();
    const raw = this.res.rawHeaders;
    for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
    return headers;
  }

  /** The whole body as text (a leading BOM dropped, as fetch does). Rejects as `failure()` says. */
  text(): Promise<string> {
    const ended = this.endedUnread();
    if (ended) {
      this.destroy();
      return Promise.reject(ended);
    }
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      let size = 0;
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        this.release();
        reject(this.failure(error));
      };
      this.body.on('data', (part: Buffer) => {
        parts.push(part);
        size += part.length;
      });
      this.body.once('end', () => {
        if (settled) return;
        settled = true;
        this.release();
        const text = parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts, size).toString('utf8');
        resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      });
      this.body.once('error', fail);
      // 'close' follows 'end' on every healthy body: only build an error when it came first.
      this.body.once('close', () => settled || fail(connectionReset()));
    });
  }

  /**
   * What ended the body before anyone listened for it, as `failure()` says: the caller's abort,
   * or a reset. Undefined while it can still be read.
   */
  endedUnread(): Error | undefined {
    if (this.signal.aborted) return new APIUserAbortError();
    if (this.body.destroyed) return this.failure(this.body.errored ?? connectionReset());
    return undefined;
  }

  /** The body, decoded to text as it arrives (read by ChunkReader); errors as `failure()` says. */
  textBody(): Readable {
    this.body.setEncoding('utf8');
    return this.body;
  }

  /** True once the caller's signal fired: whatever broke the body after that is the abort. */
  get aborted(): boolean {
    return this.signal.aborted;
  }

  /** What a broken body surfaces as: the abort when the caller aborted, else a connection error. */
  failure(error: unknown): Error {
    if (this.signal.aborted) return new APIUserAbortError();
    if (!(error instanceof Error)) return new Error(String(error));
    // A socket that died mid-body (errno codes, or the stream closed early) is a connection
    // error, as undici's "terminated" is; anything else (a bad gzip body) is passed on as is.
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code === 'ERR_STREAM_PREMATURE_CLOSE') ? new APIConnectionError({ cause: error }) : error;
  }

  /** Stops the exchange: the socket is destroyed (an unread body cannot be left on a reused one). */
  destroy(): void {
    this.req.destroy();
    this.release();
  }

  /** The body is done with: the caller's signal no longer reaches this response. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.signal.removeEventListener('abort', this.onAbort);
  }
}

function ignore(): void {}

/** What a body that closed before its end fails with: a reset, as the socket would report it. */
export function connectionReset(): Error {
  return Object.assign(new Error('the response closed before its end'), { code: 'ECONNRESET' });
}

/**
 * The body as the server meant it. No `accept-encoding` is sent, so a server should not
 * compress; one that does anyway is still read rather than failed.
 */
function decoded(res: IncomingMessage): Readable {
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) return res;
  // A reset of the response destroys the decoder with the same error, so readers see one stream.
  return pipeline(res, decoder, ignore);
}
