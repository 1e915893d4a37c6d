import { resolve } from 'node:path';
import PQueue from 'p-queue';
import type { CompletionResult, Engine } from '../engine/types.js';
import { UsageError } from '../terminal/exit-codes.js';
import { BatchStats } from './batch-stats.js';
import { countLines, inputLines } from './input-lines.js';
import { JsonlAppender, readJsonl } from './jsonl-file.js';
import { Outbox } from './outbox.js';
import { idKey, parseRequestLine } from './parse-line.js';
import { outboxEntry, resultLine, summarizeFailure, wasFailedOver } from './records.js';
import { RejectsFile } from './rejects.js';
import type { OutboxEntry, RunItem } from './types.js';

/** What the batch tells its reporter as it goes (the progress bar shows counts; these are the lines). */
export type BatchNotice =
  | { type: 'bad-line'; line: number; problem: string }
  | { type: 'outbox'; entry: OutboxEntry }
  | { type: 'output-repaired'; line: number; text: string };

export interface BatchOptions {
  /** One engine shared by every worker, so a breaker opened by one spares all the others. */
  readonly engine: Engine;
  /** A JSONL file, or `-` for `stdin`. */
  readonly input: string;
  readonly stdin?: NodeJS.ReadableStream;
  readonly output: string;
  readonly outbox: string;
  readonly rejects: string;
  readonly concurrency: number;
  /** `--system`: before the user message of `prompt` lines. */
  readonly system?: string;
  /** First Ctrl-C: take no new work; calls in flight finish. */
  readonly stopSignal?: AbortSignal;
  /** Second Ctrl-C: calls in flight are aborted (and go to the outbox as `interrupted`). */
  readonly abortSignal?: AbortSignal;
  /** Filled in as the run goes; pass one in to watch it live. */
  readonly stats?: BatchStats;
  readonly onNotice?: (notice: BatchNotice) => void;
  /** Wall-clock time source for the rate and the summary. */
  readonly now?: () => number;
}

/** How a batch ended. */
export interface BatchResult {
  readonly stats: BatchStats;
  /** This run's outbox entries. */
  readonly outboxed: readonly OutboxEntry[];
  /** Entries the outbox file holds now (this run's and unanswered older ones). */
  readonly outboxKept: number;
  /** The run stopped before reading all its input (Ctrl-C). */
  readonly stopped: boolean;
  readonly wallMs: number;
}

/**
 * Sends every request of a JSONL input through one shared engine, `concurrency` at a time,
 * appending each answer to the output as it arrives (in completion order). Ids already in the
 * output are skipped, so rerunning the same command resumes a run that was killed; failures go
 * to the outbox and bad lines to the rejects file — nothing vanishes.
 */
export async function runBatch(options: BatchOptions): Promise<BatchResult> {
  const now = options.now ?? (() => performance.now());
  const stats = options.stats ?? new BatchStats(now());
  stats.startedAt = now();
  const notify = options.onNotice ?? (() => {});

  const output = JsonlAppender.open(options.output);
  const answered = await loadAnsweredIds(options.output, (line, text) => notify({ type: 'output-repaired', line, text }));
  stats.doneAtStart = answered.size;
  const outbox = await Outbox.load(options.outbox, !sameFile(options.outbox, options.input));
  const rejects = await RejectsFile.load(options.rejects, options.input);
  stats.totalLines = await countLines(options.input);

  const unsubscribe = countEngineEvents(options.engine, stats);
  const queue = new PQueue({ concurrency: options.concurrency });
  // Stops on the first Ctrl-C, and on a file that can no longer be written (disk full...).
  const halt = new AbortController();
  const stop = halt.signal;
  let writeFailure: unknown;
  options.stopSignal?.addEventListener('abort', () => halt.abort(), { once: true });
  if (options.stopSignal?.aborted) halt.abort();
  const stopped = new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    stop.addEventListener('abort', () => resolve(), { once: true });
  });

  /** Writes one record; a failed write stops the batch, since answers could no longer be kept. */
  function keep(write: () => void): boolean {
    try {
      write();
      return true;
    } catch (error) {
      writeFailure ??= error;
      halt.abort();
      return false;
    }
  }

  async function send(item: RunItem): Promise<void> {
    stats.queued--;
    stats.inFlight++;
    try {
      let result: CompletionResult;
      try {
        result = await options.engine.complete(item.request, options.abortSignal ? { signal: options.abortSignal } : {});
      } catch (thrown) {
        const failure = summarizeFailure(thrown);
        const entry = outboxEntry(item, failure);
        if (!keep(() => outbox.add(entry))) return;
        stats.outboxed[failure.reason]++;
        notify({ type: 'outbox', entry });
        return;
      }
      if (!keep(() => output.append(resultLine(item.id, result)))) return;
      answered.add(idKey(item.id));
      stats.recordAnswer(result.provider, wasFailedOver(result.provider, result.attempts));
    } finally {
      stats.inFlight--;
    }
  }

  const firstLineOf = new Map<string, number>();
  let readAll = true;
  try {
    for await (const text of inputLines(options.input, options.stdin)) {
      if (stop.aborted) {
        readAll = false;
        break;
      }
      const line = ++stats.linesRead;
      const parsed = parseRequestLine(text, line, options.system !== undefined ? { system: options.system } : {});
      if (parsed.kind === 'blank') continue;
      if (parsed.kind === 'bad') {
        if (!keep(() => rejects.add(line, parsed.problem, text))) {
          readAll = false;
          break;
        }
        stats.badLines++;
        notify({ type: 'bad-line', line, problem: parsed.problem });
        continue;
      }
      const key = idKey(parsed.item.id);
      const first = firstLineOf.get(key);
      if (first !== undefined) {
        // Two lines with one id would be answered twice, or one would be skipped as done.
        const problem = `duplicate id ${JSON.stringify(parsed.item.id)} (first on line ${first})`;
        if (!keep(() => rejects.add(line, problem, text))) {
          readAll = false;
          break;
        }
        stats.badLines++;
        notify({ type: 'bad-line', line, problem });
        continue;
      }
      firstLineOf.set(key, line);
      if (answered.has(key)) {
        stats.skipped++;
        continue;
      }
      stats.queued++;
      // Backpressure: read ahead only a little, so the input streams through.
      await Promise.race([queue.onSizeLessThan(options.concurrency), stopped]);
      if (stop.aborted) {
        stats.queued--;
        stats.notStarted++;
        readAll = false;
        break;
      }
      void queue.add(() => send(parsed.item));
    }
    if (stop.aborted && queue.size > 0) {
      // Never started: they stay unanswered in the input, and a rerun sends them.
      stats.notStarted += queue.size;
      stats.queued -= queue.size;
      queue.clear();
      readAll = false;
    }
    await queue.onIdle();
  } finally {
    unsubscribe();
  }
  if (!readAll && stats.totalLines !== undefined) stats.unreadLines = Math.max(0, stats.totalLines - stats.linesRead);
  let kept: OutboxEntry[] = [];
  try {
    await output.close();
    kept = await outbox.finish(answered);
    await rejects.finish(readAll);
  } catch (error) {
    writeFailure ??= error;
  }
  if (writeFailure !== undefined) throw new BatchWriteError(writeFailure);
  return { stats, outboxed: outbox.added, outboxKept: kept.length, stopped: !readAll, wallMs: now() - stats.startedAt };
}

/**
 * Ids the output already answers. Lines that are not results (edited by hand?) are reported
 * and do not count: their ids are sent again.
 */
async function loadAnsweredIds(path: string, onUnreadable: (line: number, text: string) => void): Promise<Set<string>> {
  const ids = new Set<string>();
  await readJsonl(
    path,
    (value, line) => {
      const id = (value as { id?: unknown } | null)?.id;
      if (typeof id === 'string' || typeof id === 'number') ids.add(idKey(id));
      else onUnreadable(line, JSON.stringify(value).slice(0, 80));
    },
    (bad) => onUnreadable(bad.line, bad.text.slice(0, 80)),
  );
  return ids;
}

function countEngineEvents(engine: Engine, stats: BatchStats): () => void {
  return engine.onAny((event) => {
    if (event.type === 'retry') stats.retries++;
    else if (event.type === 'failover') stats.failovers++;
    else if (event.type === 'restart') stats.restarts++;
    else if (event.type === 'breaker' && event.to === 'open') stats.breakerOpenings++;
  });
}

function sameFile(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}

/**
 * The output, outbox or rejects file could not be written (disk full, permissions): the batch
 * stops, since it could no longer keep its answers. What was written is kept; a rerun resumes.
 */
export class BatchWriteError extends UsageError {
  constructor(cause: unknown) {
    super(`cannot write the batch's files: ${(cause as Error)?.message ?? String(cause)}`, 'free some space (or fix the permissions), then rerun the same command: it resumes where it stopped');
  }
}
