import type { RetryConfig } from '../config/schema.js';

/**
 * Delay before retry number `retry` (1 for the first retry): exponential from `baseDelayMs`,
 * capped at `maxDelayMs`. With jitter, the delay is drawn from its upper half, so clients that
 * failed together do not retry together, while the wait still grows.
 */
export function backoffDelay(retry: number, config: RetryConfig, random: () => number = Math.random): number {
  const exponential = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.max(0, retry - 1));
  if (!config.jitter) return exponential;
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
