import type { IncomingMessage } from 'node:http';
import { HttpError } from './openai-errors.js';

/**
 * Reads a request body as a JSON object, refusing one larger than `limitBytes` with a 413.
 * A declared Content-Length over the limit is refused before a byte is read. Plain listeners
 * rather than `for await`: an async iterator per request costs more than the parse itself.
 */
export function readJsonObject(req: IncomingMessage, limitBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (part: Buffer) => {
      size += part.length;
      if (size <= limitBytes) return void parts.push(part);
      // The rest is left unread: the 413 goes out with `connection: close`, which discards it.
      stop();
      req.pause();
      reject(tooLarge(limitBytes));
    };
    const onEnd = () => {
      stop();
      try {
        resolve(parseObject(parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts, size).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'The request body must be a JSON object.', 'invalid_request_error');
  }
  return value as Record<string, unknown>;
}

function tooLarge(limitBytes: number): HttpError {
  // The rest of the body is not read: the connection is closed after the answer rather than reused.
  return new HttpError(413, `Request body larger than the gateway's limit of ${limitBytes} bytes.`, 'invalid_request_error', 'request_too_large', {
    connection: 'close',
  });
}
