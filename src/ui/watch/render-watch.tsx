import type { HealthSource } from '../../watch/health-source.js';

/** Placeholder until the board lands. */
export async function renderWatch(_source: HealthSource, _options: { title: string; signal: AbortSignal }): Promise<'quit' | 'interrupted'> {
  throw new Error('the board is not built yet');
}
