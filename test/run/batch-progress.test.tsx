import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { BatchProgress } from '../../src/ui/run/BatchProgress.js';
import { BatchStats } from '../../src/run/batch-stats.js';
import { progressView } from '../../src/run/progress-view.js';
import { progressLine } from '../../src/run/plain-progress.js';
import type { ProviderState } from '../../src/engine/types.js';

const stats0 = { requests: 0, successes: 0, failures: 0, consecutiveFailures: 0 };
const providers: ProviderState[] = [
  { name: 'primary', model: 'p', breaker: 'open', stats: stats0 },
  { name: 'backup', model: 'b', breaker: 'closed', stats: stats0 },
];

/** 120 of 1000 done in 10 s, 12 of them after a failover, 4 in flight. */
function midBatch(): BatchStats {
  const stats = new BatchStats(0);
  stats.totalLines = 1000;
  stats.linesRead = 130;
  stats.queued = 6;
  stats.inFlight = 4;
  for (let index = 0; index < 120; index++) stats.recordAnswer(index < 12 ? 'backup' : 'primary', index < 12);
  return stats;
}

describe('batch progress', () => {
  it('computes done, queued, rate and ETA from the counts', () => {
    const view = progressView(midBatch(), providers, 10_000);
    expect(view).toMatchObject({ done: 120, failedOver: 12, inFlight: 4, queued: 880, ratePerSecond: 12 });
    expect(view.etaMs).toBeCloseTo((880 / 12) * 1000);
    expect(view.fraction).toBeCloseTo(120 / 1000);
  });

  it('the plain line and the Ink bar show the same counts and breaker states', () => {
    const stats = midBatch();
    const line = progressLine(progressView(stats, providers, 10_000));
    expect(line).toBe('120/1000 done · 12 failed over · 0 to outbox · 4 in flight · 876 queued · 12.0/s · ETA 1 m 13 s · primary ○ open, backup ● closed');

    const { lastFrame, unmount } = render(<BatchProgress stats={stats} providers={() => providers} notices={() => ['line 7: not JSON → rejects.jsonl']} now={() => 10_000} />);
    const frame = lastFrame() ?? '';
    unmount();
    expect(frame).toContain('line 7: not JSON → rejects.jsonl');
    expect(frame).toContain('120/1000  12%');
    expect(frame).toContain('done 120 · failed over 12 · outbox 0 · in flight 4 · queued 876 · 12.0/s · ETA 1 m 13 s');
    expect(frame).toMatch(/primary ○ open\s+backup ● closed/);
  });

  it('with stdin as input (size unknown): no total, no ETA', () => {
    const stats = midBatch();
    stats.totalLines = undefined;
    const view = progressView(stats, providers, 10_000);
    expect(view.queued).toBeUndefined();
    expect(view.etaMs).toBeUndefined();
    expect(progressLine(view)).toMatch(/^120 done · 12 failed over · 0 to outbox · 4 in flight · 12\.0\/s · primary/);
  });
});
