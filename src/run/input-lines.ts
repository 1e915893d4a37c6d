import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** `-` means standard input, as usual for file arguments. */
export const STDIN = '-';

/**
 * The input's lines, read one at a time so a file of millions of requests never sits in memory.
 * Stopping the loop early (break) closes the file.
 */
export function inputLines(path: string, stdin: NodeJS.ReadableStream = process.stdin): AsyncIterable<string> {
  const input = path === STDIN ? stdin : createReadStream(path, 'utf8');
  return createInterface({ input, crlfDelay: Infinity });
}

/**
 * How many lines a file has, for the progress bar's ETA: a fast pass counting newlines, without
 * parsing. Unknown (undefined) for standard input, which can be read only once.
 */
export async function countLines(path: string): Promise<number | undefined> {
  if (path === STDIN) return undefined;
  let count = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) count++;
    if (bytes.length > 0) last = bytes[bytes.length - 1]!;
  }
  // A last line without its newline is a line too.
  return last === 0x0a ? count : count + 1;
}
