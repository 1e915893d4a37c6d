import { describe, expect, test } from 'vitest';
import type { UnderstudyConfig } from '../../src/config/schema.js';
import { createEngine, type EngineOptions } from '../../src/engine/engine.js';
import { drill, failedChecks, scenario, withOffline } from './helpers.js';

/** An engine factory that builds a deliberately wrong engine from the drill's config. */
const wrongEngine = (change: (config: UnderstudyConfig) => UnderstudyConfig) => (config: UnderstudyConfig, options: EngineOptions) =>
  createEngine(change(config), options);

describe('a drill fails when the engine is wrong', () => {
  test('no failover (an engine with only the primary): every failover scenario fails on the answer from the next provider', async () => {
    await withOffline(async (_offline, config) => {
      const onlyPrimary = wrongEngine((c) => ({ ...c, providers: c.providers.slice(0, 1) }));
      const report = await drill(config, ['bad-key', 'bad-url', 'server-error', 'mid-stream-drop', 'malformed', 'recovery'], {
        engineFactory: onlyPrimary,
      });

      expect(report.ok).toBe(false);
      expect(report.scenarios.every((result) => !result.ok)).toBe(true);
      expect(failedChecks(scenario(report, 'bad-key'))).toEqual(['failed over from primary to backup', 'the next provider answered']);
      expect(failedChecks(scenario(report, 'bad-url'))).toContain('the next provider answered');
      expect(failedChecks(scenario(report, 'server-error'))).toContain('failed over from primary to backup');
      expect(failedChecks(scenario(report, 'mid-stream-drop'))).toContain("the final text is the fallback's whole answer");
      expect(failedChecks(scenario(report, 'recovery'))).toContain('while the primary was down, the fallback answered');
      expect(scenario(report, 'bad-key').failoverMs).toBeNull();
    });
  });

  test('a 400 classified retryable: the negative control fails, because the fallback was called', async () => {
    await withOffline(async (_offline, config) => {
      const report = await drill(config, ['bad-request'], {
        engineFactory: wrongEngine((c) => ({ ...c, classify: { ...c.classify, '400': 'retryable' } })),
      });
      const result = scenario(report, 'bad-request');
      expect(report.ok).toBe(false);
      expect(failedChecks(result)).toEqual([
        'the 400 surfaced as RequestFailed',
        'no retry of a bad request',
        'no failover: the fallback was not called',
      ]);
      expect(result.requests['backup']).toBe(1);
    });
  });

  test('no retries: server-error fails on its retries check only', async () => {
    await withOffline(async (_offline, config) => {
      const report = await drill(config, ['server-error'], {
        engineFactory: wrongEngine((c) => ({ ...c, retry: { ...c.retry, maxRetries: 0 } })),
      });
      expect(report.ok).toBe(false);
      expect(failedChecks(scenario(report, 'server-error'))).toEqual(['the primary was retried before failing over']);
    });
  });

  test('a breaker that never opens: server-error and recovery fail', async () => {
    await withOffline(async (_offline, config) => {
      const report = await drill(config, ['server-error', 'recovery'], {
        engineFactory: wrongEngine((c) => ({ ...c, breaker: { ...c.breaker, failureThreshold: 1_000 } })),
      });
      expect(failedChecks(scenario(report, 'server-error'))).toEqual([
        'the breaker opened after 3 consecutive failures',
        'with the breaker open, the primary is skipped without a call',
      ]);
      expect(failedChecks(scenario(report, 'recovery'))).toContain("the primary's breaker opened, went half-open after the cool-down, and closed");
      expect(failedChecks(scenario(report, 'recovery'))).toContain('the engine reported primary recovered');
    });
  });

  test('Retry-After not honoured (capped below 1 s): rate-limit fails', async () => {
    await withOffline(async (_offline, config) => {
      const report = await drill(config, ['rate-limit'], {
        engineFactory: wrongEngine((c) => ({ ...c, retry: { ...c.retry, maxRetryAfterMs: 100 } })),
      });
      expect(failedChecks(scenario(report, 'rate-limit'))).toEqual([
        'the 429 was retried after its Retry-After (1000 ms)',
        'the engine really waited before calling again',
      ]);
    });
  });

  test('a stream that fails instead of restarting: mid-stream-drop fails', async () => {
    await withOffline(async (_offline, config) => {
      const report = await drill(config, ['mid-stream-drop'], {
        engineFactory: wrongEngine((c) => ({ ...c, midStream: 'fail' })),
      });
      expect(failedChecks(scenario(report, 'mid-stream-drop'))).toEqual([
        'a restart event (primary → backup) came before the new text',
        'the partial output was discarded',
        "the final text is the fallback's whole answer",
      ]);
    });
  });

  test('timeouts far longer than the drill asked for: the timeout scenario fails its bounds', async () => {
    await withOffline(async (_offline, config) => {
      // The drill sets the primary's timeout to 100 ms; this engine waits 400 ms instead.
      const slow = wrongEngine((c) => ({ ...c, providers: c.providers.map((p, i) => (i === 0 ? { ...p, timeoutMs: 400 } : p)) }));
      const report = await drill(config, ['timeout'], { engineFactory: slow, settings: { timeoutMs: 100 } });
      const failed = failedChecks(scenario(report, 'timeout'));
      expect(failed).toContain('the whole request took bounded time');
    });
  });
});
