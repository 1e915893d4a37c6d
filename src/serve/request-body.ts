import type { IncomingMessage } from 'node:http';
import { HttpError } from './openai-errors.js';

/**
 * Reads a request body as a JSON object, refusing one larger than `limitBytes` with a 413.
 * A declared Content-Length over the limit is refused before a byte is read.
 */
export async function readJsonObject(req: IncomingMessage, limitBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    parts.push(part);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(parts, size).toString('utf8'));
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
