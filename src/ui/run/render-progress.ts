import type { BatchStats } from '../../run/batch-stats.js';
import type { Engine } from '../../engine/types.js';

/** A live progress display: lines above it, and a way to take it down. */
export interface LiveProgress {
  notice(line: string): void;
  stop(): void;
}

export async function renderBatchProgress(_options: { stats: BatchStats; engine: Engine }): Promise<LiveProgress> {
  return { notice: (line) => process.stderr.write(`${line}\n`), stop: () => {} };
}
