import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskSecrets } from '../config/secrets.js';

/**
 * The only ways commands write text. stdout carries results (what a pipe or `--json` consumer
 * reads), stderr carries progress and logs, so the two never mix.
 */

/** Writes one line of results to stdout. */
export function out(line = ''): void {
  // mask-streams masks stdout already when the CLI runs; masking here too keeps library and
  // test callers safe, and masking twice is harmless.
  process.stdout.write(`${maskSecrets(line)}\n`);
}

/** Writes one line of progress or log to stderr. */
export function log(line = ''): void {
  process.stderr.write(`${maskSecrets(line)}\n`);
}

/**
 * Writes a file with every registered secret masked, creating its parent directories.
 * Files bypass the masked process streams, so this must mask on its own.
 */
export function writeFileMasked(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, maskSecrets(text), 'utf8');
}
