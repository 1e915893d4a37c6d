import { JsonlAppender, readJsonl } from '../run/jsonl-file.js';
import { HISTORY_VERSION, historyRecordSchema, type HistoryRecord } from './record.js';

/** A line of a history file that could not be read as a run, and why; the other lines still count. */
export interface HistoryProblem {
  readonly line: number;
  readonly message: string;
}

export interface HistoryFile {
  /** The runs, oldest first (in file order: each run is appended when it ends). */
  readonly records: HistoryRecord[];
  readonly problems: HistoryProblem[];
}

/**
 * Appends one run, as one whole line (a torn last line left by a crash is repaired first, so the
 * new run never lands glued to half of an old one). Secrets are masked like every file written.
 */
export async function appendHistory(path: string, record: HistoryRecord): Promise<void> {
  const file = JsonlAppender.open(path);
  try {
    file.append(record);
  } finally {
    await file.close();
  }
}

/** Reads every run of a history file; a line that is not a valid run becomes a problem, not an error. */
export async function readHistory(path: string): Promise<HistoryFile> {
  const records: HistoryRecord[] = [];
  const problems: HistoryProblem[] = [];
  await readJsonl(
    path,
    (value, line) => {
      const problem = recordProblem(value);
      if (problem) problems.push({ line, message: problem });
      else records.push(value as HistoryRecord);
    },
    ({ line }) => problems.push({ line, message: 'not JSON' }),
  );
  return { records, problems };
}

/** Why a parsed line is not a run of this version, or undefined when it is one. */
function recordProblem(value: unknown): string | undefined {
  const version = typeof value === 'object' && value !== null ? (value as { v?: unknown }).v : undefined;
  if (typeof version === 'number' && version > HISTORY_VERSION) {
    return `written by a newer understudy (history version ${version}; this one reads ${HISTORY_VERSION}): upgrade understudy to read it`;
  }
  const parsed = historyRecordSchema.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `not a drill run: ${where}${issue?.message ?? 'invalid'}`;
}
