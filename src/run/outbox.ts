import { existsSync } from 'node:fs';
import { idKey } from './parse-line.js';
import { JsonlAppender, readJsonl, writeJsonlAtomically } from './jsonl-file.js';
import type { OutboxEntry } from './types.js';

/**
 * The outbox: every request that could not be answered, as a valid input line, so
 * `understudy run --input OUTBOX --output SAME` retries them. It always holds exactly what is
 * still unanswered: at the end of a run it is rewritten (atomically) without the ids the output
 * now has, and with this run's failures replacing older entries for the same id.
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private appender: JsonlAppender | undefined;
  private existed: boolean;
  /** This run's failures. */
  readonly added: OutboxEntry[] = [];

  private constructor(
    readonly path: string,
    private readonly appendAsFailing: boolean,
  ) {
    this.existed = existsSync(path);
  }

  /**
   * Reads what an earlier run left. `appendAsFailing`: also append each failure at once, so a
   * crash loses none (off when the outbox is this run's input: appending to a file being read
   * would feed the run its own failures).
   */
  static async load(path: string, appendAsFailing: boolean): Promise<Outbox> {
    const outbox = new Outbox(path, appendAsFailing);
    await readJsonl(path, (value) => {
      const entry = value as OutboxEntry;
      if (entry && typeof entry === 'object' && (typeof entry.id === 'string' || typeof entry.id === 'number')) outbox.entries.set(idKey(entry.id), entry);
    });
    return outbox;
  }

  add(entry: OutboxEntry): void {
    this.entries.set(idKey(entry.id), entry);
    this.added.push(entry);
    if (!this.appendAsFailing) return;
    this.appender ??= JsonlAppender.open(this.path);
    this.appender.append(entry);
  }

  /**
   * Rewrites the file with what is still unanswered (ids not in `answered`). Leaves no file
   * behind when there never was one and nothing failed; an emptied outbox stays, empty, so
   * a script rerunning the same retry command finds its input. Returns the entries kept.
   */
  async finish(answered: ReadonlySet<string>): Promise<OutboxEntry[]> {
    await this.appender?.close();
    const kept = [...this.entries].filter(([key]) => !answered.has(key)).map(([, entry]) => entry);
    if (kept.length > 0 || this.existed || this.appender) writeJsonlAtomically(this.path, kept);
    return kept;
  }
}
