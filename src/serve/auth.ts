import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Checks a request's `Authorization: Bearer <token>` against the configured client tokens. */
export type TokenCheck = (req: IncomingMessage) => boolean;

/**
 * A token check that takes the same time whichever token (if any) matches and however much of
 * it does: tokens are compared as SHA-256 digests (equal length, as `timingSafeEqual` needs)
 * and every configured token is compared, with no early exit. No tokens: every request passes.
 */
export function tokenCheck(tokens: readonly string[]): TokenCheck {
  if (tokens.length === 0) return () => true;
  const digests = tokens.map(digest);
  return (req) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined) return false;
    const candidate = digest(presented);
    let matched = false;
    for (const expected of digests) matched = timingSafeEqual(candidate, expected) || matched;
    return matched;
  };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1];
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
