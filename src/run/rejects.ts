import { existsSync } from 'node:fs';
import { JsonlAppender, readJsonl, writeJsonlAtomically } from './jsonl-file.js';
import type { RejectLine } from './types.js';

/** Longest piece of a bad line kept in the rejects file: enough to find it, not a copy of a huge blob. */
const MAX_TEXT = 2_000;

/** A rejects-file record: which input and line, what is wrong, and the line itself. */
export interface RejectRecord extends RejectLine {
  readonly input: string;
}

/**
 * Input lines that could not be sent (not JSON, no prompt...). They never stop the batch and
 * never vanish: each is appended here as it is met. At the end the file is rewritten so it
 * lists this input's bad lines once (a resumed run meets the same lines again) and keeps the
 * records of other inputs.
 */
export class RejectsFile {
  private readonly others: RejectRecord[] = [];
  private previousOfThisInput = 0;
  private appender: JsonlAppender | undefined;
  readonly added: RejectRecord[] = [];

  private constructor(
    readonly path: string,
    private readonly input: string,
  ) {}

  static async load(path: string, input: string): Promise<RejectsFile> {
    const file = new RejectsFile(path, input);
    await readJsonl(path, (value) => {
      const record = value as RejectRecord;
      if (record?.input === input) file.previousOfThisInput++;
      else if (record && typeof record === 'object') file.others.push(record);
    });
    return file;
  }

  add(line: number, problem: string, text: string): RejectRecord {
    const record: RejectRecord = { input: this.input, line, problem, text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text };
    this.added.push(record);
    this.appender ??= JsonlAppender.open(this.path);
    this.appender.append(record);
    return record;
  }

  /**
   * `complete`: the whole input was read, so this run's list of its bad lines is the full one.
   * An interrupted run only adds, never forgets what it did not get to read.
   */
  async finish(complete: boolean): Promise<void> {
    await this.appender?.close();
    if (!complete || (this.previousOfThisInput === 0 && this.added.length === 0)) return;
    if (!existsSync(this.path) && this.added.length === 0) return;
    writeJsonlAtomically(this.path, [...this.others, ...this.added]);
  }
}
