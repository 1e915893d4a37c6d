import { isIP } from 'node:net';

/** Asked to listen beyond loopback with no client tokens: anyone who can reach it could spend the keys. */
export class UnprotectedHostError extends Error {
  override readonly name = 'UnprotectedHostError';
  constructor(readonly host: string) {
    super(`refusing to listen on ${host} without client tokens: anyone who can reach it could use your provider keys`);
  }
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}

/** Throws UnprotectedHostError when `host` is reachable from outside and no token guards it. */
export function assertProtected(host: string, tokens: readonly string[]): void {
  if (!isLoopback(host) && tokens.length === 0) throw new UnprotectedHostError(host);
}
