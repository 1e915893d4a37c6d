import { maskSecrets } from '../config/secrets.js';

/**
 * Routes everything written to stdout and stderr through `maskSecrets`, so a secret cannot leak
 * through any path (a library's log line, an error message, Ink's frames) however it got there.
 */
export function maskProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      write(typeof chunk === 'string' ? maskSecrets(chunk) : maskBuffer(chunk), ...rest)) as typeof stream.write;
  }
}

function maskBuffer(chunk: unknown): unknown {
  if (chunk instanceof Uint8Array) return maskSecrets(Buffer.from(chunk).toString('utf8'));
  return chunk;
}
