import { describe, expect, it } from 'vitest';
import { HISTORY_VERSION, type HistoryRecord, type HistoryScenario } from '../../src/history/record.js';
import { trendNotes, trendRows } from '../../src/history/render.js';
import { historyTrend, STEADY_STATE } from '../../src/history/trend.js';

/** A run on day `day` with these scenarios. */
function run(day: number, scenarios: Partial<HistoryScenario>[], steadyState = true): HistoryRecord {
  return {
    v: HISTORY_VERSION,
    at: new Date(Date.UTC(2026, 10, day, 3, 17)).toISOString(),
    ok: scenarios.every((scenario) => scenario.ok !== false) && steadyState,
    ms: 5000,
    offline: false,
    providers: ['primary', 'backup'],
    steadyState,
    scenarios: scenarios.map((scenario) => ({ name: 'server-error', ok: true, failoverMs: 100, recoveryMs: null, ms: 300, ...scenario })),
    alerts: { sinks: 0, reached: 0 },
  };
}

describe('historyTrend', () => {
  it('counts runs and passes per scenario, and spreads failover and recovery times by nearest rank', () => {
    const records = [
      run(1, [{ failoverMs: 100 }, { name: 'recovery', failoverMs: 90, recoveryMs: 700 }]),
      run(2, [{ failoverMs: 300, ok: false }, { name: 'recovery', failoverMs: 95, recoveryMs: 650 }]),
      run(3, [{ failoverMs: 200 }, { name: 'recovery', failoverMs: 80, recoveryMs: 900 }]),
    ];
    const trend = historyTrend(records);
    expect(trend.runs).toBe(3);
    expect(trend.from).toBe('2026-11-01T03:17:00.000Z');
    expect(trend.to).toBe('2026-11-03T03:17:00.000Z');
    expect(trend.scenarios.map((scenario) => scenario.name)).toEqual([STEADY_STATE, 'server-error', 'recovery']);
    const [steady, serverError, recovery] = trend.scenarios;
    expect(steady).toMatchObject({ runs: 3, passed: 3, passRate: 1, failoverMs: null });
    expect(serverError).toMatchObject({ runs: 3, passed: 2, failoverMs: { p50: 200, p95: 300 }, recoveryMs: null, failoverSeries: [100, 300, 200] });
    expect(serverError!.passRate).toBeCloseTo(2 / 3);
    expect(serverError!.last).toEqual({ at: '2026-11-03T03:17:00.000Z', ok: true });
    expect(recovery).toMatchObject({ runs: 3, passed: 3, recoveryMs: { p50: 700, p95: 900 } });
  });

  it('looks only at the last N runs', () => {
    const records = [run(1, [{ ok: false, failoverMs: 5000 }]), run(2, [{ failoverMs: 100 }]), run(3, [{ failoverMs: 120 }])];
    const trend = historyTrend(records, 2);
    expect(trend.runs).toBe(2);
    expect(trend.from).toBe('2026-11-02T03:17:00.000Z');
    expect(trend.scenarios[1]).toMatchObject({ runs: 2, passed: 2, failoverMs: { p50: 100, p95: 120 } });
  });

  it('a skipped scenario is not a run of it; a failed steady state counts against steady state only', () => {
    const records = [run(1, [{ name: 'tasks', skipped: true, failoverMs: null }]), run(2, [], false), run(3, [{ name: 'tasks', ok: false, failoverMs: null }])];
    const trend = historyTrend(records);
    expect(trend.scenarios[0]).toMatchObject({ name: STEADY_STATE, runs: 3, passed: 2 });
    expect(trend.scenarios[1]).toMatchObject({ name: 'tasks', runs: 1, passed: 0, failoverMs: null, failoverChange: null });
  });

  it("compares the newer half's failover p50 with the older half's, once each half has two measurements", () => {
    expect(historyTrend([100, 100, 150].map((ms, i) => run(i + 1, [{ failoverMs: ms }]))).scenarios[1]!.failoverChange).toBeNull();
    const slower = historyTrend([100, 110, 999, 140, 150].map((ms, i) => run(i + 1, [{ failoverMs: ms }])));
    // Older half [100, 110] → p50 100; newer half [140, 150] → p50 140; the middle run belongs to neither.
    expect(slower.scenarios[1]!.failoverChange).toBeCloseTo(0.4);
  });
});

describe('the trend as a table', () => {
  const records = [100, 110, 130, 140, 150].map((ms, i) => run(i + 1, [{ failoverMs: ms, ok: i !== 4 }]));

  it('one row per scenario: runs, pass rate, p50/p95, the sparkline with the change, the last verdict', () => {
    const rows = trendRows(historyTrend(records));
    expect(rows[0]).toEqual([STEADY_STATE, '5', '100% (5/5)', '—', '—', '—', '—', '—', '✓ 2026-11-05 03:17']);
    expect(rows[1]).toEqual(['server-error', '5', '80% (4/5)', '130 ms', '150 ms', '—', '—', '▆▆▇██ +40%', '✗ 2026-11-05 03:17']);
  });

  it('notes a scenario that failed in the window and a failover getting slower', () => {
    expect(trendNotes(historyTrend(records))).toEqual([
      'server-error failed 1 of its last 5 runs, the latest among them',
      'server-error: failover is getting slower, p50 +40% from the older half of these runs to the newer',
    ]);
    const steady = [100, 104, 98, 101, 103].map((ms, i) => run(i + 1, [{ failoverMs: ms }]));
    expect(trendNotes(historyTrend(steady))).toEqual([]);
  });
});

describe('runs that do not compare', () => {
  it('notes a change of provider list and a mix of offline and real runs', () => {
    const before = run(1, [{ failoverMs: 100 }]);
    const after = { ...run(2, [{ failoverMs: 100 }]), providers: ['openai', 'groq'] };
    const offline = { ...run(3, [{ failoverMs: 100 }]), offline: true };
    const trend = historyTrend([before, after, offline]);
    expect(trend.providerLists).toEqual([['primary', 'backup'], ['openai', 'groq']]);
    expect(trend.offlineRuns).toBe(1);
    expect(trendNotes(trend)).toEqual([
      'these runs drilled 2 provider lists (primary → backup; openai → groq): times before and after a change do not compare',
      '1 of these runs were offline (mock providers): their times do not compare with the others',
    ]);
    // Only the window counts: the last run alone is all offline, so nothing to compare.
    expect(trendNotes(historyTrend([before, after, offline], 1))).toEqual([]);
  });
});
