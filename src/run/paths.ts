import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../terminal/exit-codes.js';
import { STDIN } from './input-lines.js';

/** Every file a batch reads or writes, resolved. */
export interface ResolvedBatchPaths {
  readonly input: string;
  readonly output: string;
  readonly outbox: string;
  readonly rejects: string;
}

/** `results.jsonl` → `results.outbox.jsonl` beside it (and `results.rejects.jsonl`). */
export function besideOutput(output: string, kind: 'outbox' | 'rejects'): string {
  const name = basename(output).replace(/\.jsonl?$/i, '');
  return join(dirname(output), `${name}.${kind}.jsonl`);
}

/** The single-prompt outbox when none is given: in the working directory. */
export const DEFAULT_PROMPT_OUTBOX = 'understudy-outbox.jsonl';

/**
 * Resolves and checks a batch's files: the input must exist, and no two roles may share a file
 * (answers appended to the input would be read back as requests; an outbox that is also the
 * output would mix failures into answers). The outbox may be the input: that is how it is retried.
 */
export function resolveBatchPaths(options: { input: string; output?: string; outbox?: string; rejects?: string }, cwd = process.cwd()): ResolvedBatchPaths {
  if (options.output === undefined) {
    throw new UsageError('a batch (--input) needs --output FILE.jsonl: answers are appended there as they arrive, and a rerun resumes from it', 'understudy run --input requests.jsonl --output answers.jsonl');
  }
  const input = options.input === STDIN ? STDIN : resolve(cwd, options.input);
  if (input !== STDIN) {
    if (!existsSync(input)) throw new UsageError(`--input ${options.input}: no such file`);
    if (statSync(input).isDirectory()) throw new UsageError(`--input ${options.input} is a directory; it takes a JSONL file`);
  }
  const output = resolve(cwd, options.output);
  const outbox = resolve(cwd, options.outbox ?? besideOutput(output, 'outbox'));
  const rejects = resolve(cwd, options.rejects ?? besideOutput(output, 'rejects'));
  if (existsSync(output) && statSync(output).isDirectory()) throw new UsageError(`--output ${options.output} is a directory; it takes a file`);
  if (output === input) throw new UsageError('--output is the same file as --input: answers would be read back as requests', 'write answers to another file');
  if (outbox === output) throw new UsageError('--outbox is the same file as --output: failures would be mixed into the answers');
  for (const [role, path] of [['--input', input], ['--output', output], ['--outbox', outbox]] as const) {
    if (rejects === path) throw new UsageError(`--rejects is the same file as ${role}`);
  }
  return { input, output, outbox, rejects };
}
