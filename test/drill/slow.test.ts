import { describe, expect, test } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import type { UnderstudyConfig, UnderstudyConfigInput } from '../../src/config/schema.js';
import { planScenarios, SCENARIOS } from '../../src/drill/scenarios/index.js';
import { drill, explain, failedChecks, scenario, withOffline } from './helpers.js';

const tuned = (config: UnderstudyConfig, extra: Partial<UnderstudyConfigInput>) => normalizeConfig({ ...config, ...extra } as UnderstudyConfigInput);

describe('slow-primary and slow-tail', () => {
  test('run in a full drill only when the config hedges or sets slowMs', () => {
    const plain = normalizeConfig({ providers: [{ name: 'p', baseURL: 'http://127.0.0.1:1/v1', model: 'm' }] });
    const names = (config: UnderstudyConfig) => planScenarios(SCENARIOS, config, false).map((s) => s.name);
    expect(names(plain)).not.toContain('slow-primary');
    expect(names({ ...plain, slowMs: 1_000 })).toEqual(expect.arrayContaining(['slow-primary', 'slow-tail']));
  });

  test('asked for by name without hedge or slowMs, they are skipped, saying why', async () => {
    await withOffline(async (offline, config) => {
      const report = await drill(config, ['slow-primary']);
      expect(scenario(report, 'slow-primary').checks).toEqual([
        { name: 'applies to this config', ok: true, skipped: true, detail: 'skipped: runs only when hedge or slowMs is configured' },
      ]);
      // The steady-state check only: the scenario itself sent nothing.
      expect(offline.providers[0]!.counters.completions).toBe(1);
    });
  });

  test('slow-primary passes when a degraded primary is skipped: the p95 after the warm-up is the fallback’s', async () => {
    await withOffline(async (_offline, config) => {
      const report = await drill(tuned(config, { slowMs: 100, onSlow: 'skip', latency: { minSamples: 3 } }), ['slow-primary']);
      const result = scenario(report, 'slow-primary');
      expect(result.ok, explain(report)).toBe(true);
      // Three steady requests and three warm-ups, then the measured ones: the fallback's but for trials.
      expect(result.answeredBy.slice(6).filter((provider) => provider === 'backup').length).toBeGreaterThanOrEqual(38);
      expect(result.checks.map((check) => check.name)).toEqual([
        'every request was answered',
        expect.stringMatching(/^the caller's p95 stayed within /),
        'extra requests stayed within the hedge budget (5%)',
      ]);
    });
  });

  test('slow-tail fails on the p95 when nothing hedges the tail', async () => {
    await withOffline(async (_offline, config) => {
      // slowMs far above the slow answers: the scenario runs, but nothing reacts to them.
      const report = await drill(tuned(config, { slowMs: 60_000, latency: { minSamples: 1 } }), ['slow-tail']);
      const result = scenario(report, 'slow-tail');
      expect(result.ok).toBe(false);
      expect(failedChecks(result)).toEqual([expect.stringMatching(/^the caller's p95 stayed within /)]);
    });
  });

  test('slow-tail passes with hedging, within its budget', async () => {
    await withOffline(async (_offline, config) => {
      const report = await drill(tuned(config, { hedge: { afterMs: 60, maxExtraPercent: 10 }, latency: { minSamples: 1 } }), ['slow-tail']);
      const result = scenario(report, 'slow-tail');
      expect(result.ok, explain(report)).toBe(true);
      const budget = result.checks.find((check) => check.name.startsWith('extra requests'))!;
      expect(budget.detail).toMatch(/^[1-4] hedges? for 44 requests \(at most 4\)$/);
    });
  });
});
