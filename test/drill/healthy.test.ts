import { describe, expect, test } from 'vitest';
import { SCENARIOS } from '../../src/drill/scenarios/index.js';
import { drill, explain, scenario, withOffline } from './helpers.js';

describe('the whole offline drill against healthy mock providers', () => {
  test('every scenario passes, with the measurements each one promises', async () => {
    await withOffline(async (offline, config) => {
      const report = await drill(config);

      expect(report.ok, explain(report)).toBe(true);
      expect(report.interrupted).toBe(false);
      expect(report.steadyState.providers.map((provider) => [provider.name, provider.ok])).toEqual([
        ['primary', true],
        ['backup', true],
      ]);
      expect(report.scenarios.map((result) => result.name)).toEqual(SCENARIOS.map((s) => s.name));
      for (const result of report.scenarios) expect(result.checks.length, result.name).toBeGreaterThan(0);

      // Failover: the fallback answered, and how fast was measured.
      const serverError = scenario(report, 'server-error');
      expect(serverError.answeredBy).toEqual(['backup', 'backup']);
      expect(serverError.failoverMs).toBeGreaterThan(0);
      expect(serverError.requests).toEqual({ primary: 3, backup: 2 });
      expect(serverError.tokens['backup']).toBeGreaterThan(0);
      expect(serverError.tokens['primary']).toBe(0);

      // No failover on a bug: nothing answered, the fallback was never called.
      const badRequest = scenario(report, 'bad-request');
      expect(badRequest.answeredBy).toEqual([null]);
      expect(badRequest.failoverMs).toBeNull();
      expect(badRequest.requests).toEqual({ primary: 1, backup: 0 });

      // Recovery: traffic back on the primary, and the time it took from the fault's removal.
      const recovery = scenario(report, 'recovery');
      expect(recovery.answeredBy.at(-1)).toBe('primary');
      expect(recovery.answeredBy[0]).toBe('backup');
      expect(recovery.recoveryMs).toBeGreaterThanOrEqual(600);
      for (const result of report.scenarios.filter((r) => r.name !== 'recovery')) expect(result.recoveryMs, result.name).toBeNull();

      // The rate limit was waited out on the primary, not failed over.
      expect(scenario(report, 'rate-limit').answeredBy).toEqual(['primary']);

      // The drill broke only the proxy and the config in memory: the backup was never faulted,
      // and the primary mock itself played no fault (the proxy in front of it did).
      expect(offline.providers.map((mock) => mock.counters.faults)).toEqual([0, 0]);
      expect(offline.providers.map((mock) => mock.fault)).toEqual([undefined, undefined]);
      // Well under the ~10 s budget for a full offline drill.
      expect(report.ms).toBeLessThan(10_000);
    });
  });
});
