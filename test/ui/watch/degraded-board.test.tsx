import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { WatchBoard } from '../../../src/ui/watch/board.js';
import type { ProviderState } from '../../../src/engine/types.js';
import { buildRows } from '../../../src/watch/rows.js';
import { AT, tableRow } from './fixtures.js';

const stats = { requests: 10, successes: 10, failures: 0, consecutiveFailures: 0, lastLatencyMs: 5_200 };
const states: ProviderState[] = [
  { name: 'primary', model: 'gpt-4o-mini', breaker: 'closed', stats, degraded: { p90Ms: 5_200, slowMs: 4_000 } },
  { name: 'backup', model: 'llama-3.1-70b', breaker: 'closed', stats: { ...stats, lastLatencyMs: 240 } },
];

describe('WatchBoard and a slow provider', () => {
  it('shows ◐ degraded with its p90 where an open breaker shows its countdown', () => {
    const rows = buildRows({ states, history: new Map(), now: 0 });
    const frame =
      render(
        <WatchBoard title="understudy.config.json" description="probe" rows={rows} events={[]} round={1} lastRoundAt={AT} selected={0} width={100} height={24} />,
      ).lastFrame() ?? '';
    expect(tableRow(frame, 'primary')).toMatch(/primary\s+gpt-4o-mini\s+◐ degraded\s+p90 5\.2s\s/);
    expect(tableRow(frame, 'backup')).toMatch(/backup\s+llama-3\.1-70b\s+● closed/);
  });
});
