import type { UnderstudyConfig } from '../config/schema.js';
import { createEngine } from '../engine/engine.js';
import { describeError } from '../report/view-model.js';
import type { SteadyState } from './types.js';

/**
 * The chaos experiment's first step: every provider answers a tiny completion directly, before
 * anything is broken. Uses the real engine's direct check, never the engine under test, because
 * this step judges the providers, not the failover logic.
 */
export async function checkSteadyState(config: UnderstudyConfig, signal?: AbortSignal): Promise<SteadyState> {
  const engine = createEngine(config);
  try {
    const providers = await Promise.all(
      config.providers.map(async ({ name }) => {
        const attempt = await engine.check(name, 'completion', signal ? { signal } : {});
        const ok = attempt.outcome === 'success';
        const detail = attempt.error ? `${describeError(attempt.error)}: ${attempt.error.message}` : attempt.reason;
        return { name, ok, ms: Math.round(attempt.ms), ...(ok || detail === undefined ? {} : { detail }) };
      }),
    );
    return { ok: providers.every((provider) => provider.ok), providers };
  } finally {
    engine.close();
  }
}

/** `backup did not answer: 401 key rejected: Incorrect API key provided.` for each provider that failed. */
export function describeSteadyStateFailure(state: SteadyState): string {
  return state.providers
    .filter((provider) => !provider.ok)
    .map((provider) => `${provider.name} did not answer: ${provider.detail ?? 'unknown error'}`)
    .join('; ');
}
