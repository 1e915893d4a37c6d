import { describe, expect, test } from 'vitest';
import { DrillSetupError } from '../../src/drill/runner.js';
import { drill, withOffline } from './helpers.js';

describe('steady state comes first', () => {
  test('a fallback that rejects its key: the drill fails at steady state and injects nothing', async () => {
    await withOffline(async (offline, config) => {
      const [primary, backup] = offline.providers;
      await backup!.setFault({ type: 'status', status: 401 });

      const report = await drill(config);

      expect(report.ok).toBe(false);
      expect(report.scenarios).toEqual([]);
      expect(report.steadyState.ok).toBe(false);
      const failed = report.steadyState.providers.find((provider) => provider.name === 'backup');
      expect(failed?.ok).toBe(false);
      expect(failed?.detail).toMatch(/401/);
      // Only the steady-state call reached the primary, and it carried no fault.
      expect(primary!.counters.completions).toBe(1);
      expect(primary!.counters.faults).toBe(0);
    });
  });

  test('a fallback out of credit: the drill fails at steady state, worded as billing', async () => {
    await withOffline(async (offline, config) => {
      const quota = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } };
      await offline.providers[1]!.setFault({ type: 'status', status: 429, body: quota });
      const report = await drill(config, ['bad-request']);
      expect(report.ok).toBe(false);
      expect(report.scenarios).toEqual([]);
      expect(report.steadyState.providers.find((provider) => provider.name === 'backup')?.detail).toBe(
        '429 out of credit / billing: You exceeded your current quota, please check your plan and billing details.',
      );
    });
  });

  test('a fallback that is down (connection refused): impossible to pass', async () => {
    await withOffline(async (offline, config) => {
      await offline.providers[1]!.setFault({ type: 'refuse' });
      const report = await drill(config, ['bad-request']);
      expect(report.ok).toBe(false);
      expect(report.scenarios).toEqual([]);
      expect(report.steadyState.providers.find((provider) => provider.name === 'backup')?.detail).toMatch(/connection refused/);
      expect(offline.providers[0]!.counters.faults).toBe(0);
    });
  });

  test('a primary that does not answer: nothing is injected either', async () => {
    await withOffline(async (offline, config) => {
      await offline.providers[0]!.setFault({ type: 'status', status: 503 });
      const report = await drill(config, ['server-error']);
      expect(report.ok).toBe(false);
      expect(report.scenarios).toEqual([]);
      expect(report.steadyState.providers.map((provider) => provider.ok)).toEqual([false, true]);
    });
  });

  test('one provider only: a setup error saying a drill needs a fallback', async () => {
    await withOffline(async (_offline, config) => {
      const alone = { ...config, providers: config.providers.slice(0, 1) };
      await expect(drill(alone)).rejects.toThrow(DrillSetupError);
      await expect(drill(alone)).rejects.toThrow(/needs a fallback.*only one provider \(primary\)/);
    });
  });
});
