import type { IncomingMessage } from 'node:http';

/** Bodies larger than this are refused with 413: a mock never needs more, and a runaway test should fail fast. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Reads the whole request body; rejects once it grows past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    parts.push(part);
  }
  return Buffer.concat(parts);
}

/** The body was larger than the mock accepts. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** The body parsed as a JSON object, or undefined when it is not one. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
