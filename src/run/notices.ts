import type { BatchNotice } from './batch.js';

/** More lines of one kind than this and the rest are only counted: 10,000 outbox lines help nobody. */
const MAX_SHOWN_PER_KIND = 20;

/** Where each kind of notice can be read in full. */
export interface NoticeFiles {
  readonly outbox: string;
  readonly rejects: string;
  readonly output: string;
}

/**
 * Turns batch notices into log lines, showing the first few of each kind and counting the rest,
 * so a batch where everything fails does not bury the progress.
 */
export class NoticeLines {
  private readonly shown = new Map<BatchNotice['type'], number>();
  private readonly hidden = new Map<BatchNotice['type'], number>();

  constructor(private readonly files: NoticeFiles) {}

  /** The line to print for `notice`, or undefined once its kind has been shown enough. */
  lineFor(notice: BatchNotice): string | undefined {
    const count = (this.shown.get(notice.type) ?? 0) + 1;
    if (count > MAX_SHOWN_PER_KIND) {
      this.hidden.set(notice.type, (this.hidden.get(notice.type) ?? 0) + 1);
      return undefined;
    }
    this.shown.set(notice.type, count);
    switch (notice.type) {
      case 'bad-line':
        return `line ${notice.line}: ${notice.problem} → ${this.files.rejects}`;
      case 'outbox':
        return `${JSON.stringify(notice.entry.id)} → outbox (${notice.entry.reason}): ${notice.entry.error}`;
      case 'output-repaired':
        return `${this.files.output} line ${notice.line} is not a result (${notice.text}); ignored, so that request is sent again`;
    }
  }

  /** `… and 37 more requests went to the outbox (see FILE)`, for the end of the run. */
  foldedLines(): string[] {
    const lines: string[] = [];
    const more = (type: BatchNotice['type']) => this.hidden.get(type) ?? 0;
    if (more('bad-line') > 0) lines.push(`… and ${more('bad-line')} more bad lines (see ${this.files.rejects})`);
    if (more('outbox') > 0) lines.push(`… and ${more('outbox')} more requests went to the outbox (see ${this.files.outbox})`);
    if (more('output-repaired') > 0) lines.push(`… and ${more('output-repaired')} more unreadable lines in ${this.files.output}`);
    return lines;
  }
}
