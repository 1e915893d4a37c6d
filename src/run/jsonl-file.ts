import { closeSync, createReadStream, existsSync, fdatasync, fdatasyncSync, fstatSync, mkdirSync, openSync, readSync, renameSync, writeFileSync, ftruncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { maskSecrets } from '../config/secrets.js';
import { outputReplacer } from '../report/json.js';

/**
 * JSONL files that survive a crash: every line is written whole with one `write` as soon as it
 * is known (a kill -9 loses nothing already written), the data is fsynced shortly after (a power
 * cut loses at most the last moment), and a torn last line left by a crash is repaired on open.
 */

/** One JSON value on one line, with every registered secret masked (inside strings too) and timings in whole ms. */
export function jsonLine(value: unknown): string {
  const text = JSON.stringify(value, outputReplacer);
  return `${maskSecrets(text)}\n`;
}

/** How long written lines may wait for an fsync: group commit keeps a fast batch fast. */
const SYNC_EVERY_MS = 200;

/** Appends JSON lines to a file, each written at once; see the module comment. */
export class JsonlAppender {
  private fd: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  /** The fsync under way, if any: it runs on libuv's pool, so the event loop never waits on the disk. */
  private syncing: Promise<void> | undefined;
  /** Lines appended since open. */
  written = 0;

  private constructor(readonly path: string) {}

  /** Opens `path` for appending (creating it and its folder), after repairing a torn last line. */
  static open(path: string): JsonlAppender {
    mkdirSync(dirname(path), { recursive: true });
    const appender = new JsonlAppender(path);
    appender.fd = openSync(path, 'a+');
    repairTail(appender.fd);
    return appender;
  }

  /** Writes one line now (one `write`, so a crash never leaves half of it unless the disk does). */
  append(value: unknown): void {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    writeSync(this.fd, jsonLine(value));
    this.written++;
    this.dirty = true;
    this.scheduleSync();
  }

  private scheduleSync(): void {
    if (this.timer || this.syncing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sync();
    }, SYNC_EVERY_MS);
    // A pending fsync must not keep a finished run alive; close() syncs anyway.
    this.timer.unref();
  }

  /** Forces the lines written so far to disk. */
  async sync(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.syncing) await this.syncing;
    const fd = this.fd;
    if (fd === undefined || !this.dirty) return;
    this.dirty = false;
    this.syncing = new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve()))).finally(() => {
      this.syncing = undefined;
    });
    await this.syncing;
    // Lines written while that fsync ran wait for the next one.
    if (this.dirty) this.scheduleSync();
  }

  /** Syncs and closes. */
  async close(): Promise<void> {
    await this.sync();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * A crash mid-write can leave a last line without its newline. If that piece is whole JSON it
 * gets its newline; otherwise it never was a complete record and is cut off, so the next line
 * appended starts cleanly and readers never meet a broken line.
 */
function repairTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return;
  const start = lastNewlineBefore(fd, size) + 1;
  const tail = Buffer.alloc(size - start);
  readSync(fd, tail, 0, tail.length, start);
  if (parses(tail.toString('utf8'))) writeSync(fd, '\n');
  else ftruncateSync(fd, start);
}

function lastNewlineBefore(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const from = Math.max(0, end - chunk.length);
    const length = end - from;
    readSync(fd, chunk, 0, length, from);
    const at = chunk.subarray(0, length).lastIndexOf(0x0a);
    if (at >= 0) return from + at;
    end = from;
  }
  return -1;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A line of a JSONL file that is not JSON: where, for a warning. */
export interface UnreadableLine {
  readonly line: number;
  readonly text: string;
}

/**
 * Reads every JSON line of a file, one line at a time (never the whole file in memory). Blank
 * lines are skipped; unparseable ones are passed to `onUnreadable`. A missing file reads as empty.
 */
export async function readJsonl(path: string, onValue: (value: unknown, line: number) => void, onUnreadable?: (bad: UnreadableLine) => void): Promise<void> {
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      onUnreadable?.({ line, text });
      continue;
    }
    onValue(value, line);
  }
}

/** Replaces a file's content with these lines all at once (temp file, fsync, rename): never half-written. */
export function writeJsonlAtomically(path: string, values: Iterable<unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  let text = '';
  for (const value of values) text += jsonLine(value);
  writeFileSync(temp, text, 'utf8');
  const fd = openSync(temp, 'r');
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
