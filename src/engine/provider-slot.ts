import type { BreakerConfig, ProviderConfig, RetryConfig, UnderstudyConfig } from '../config/schema.js';
import type { ProviderClient } from '../providers/openai-compatible.js';
import { CircuitBreaker, type BreakerChange } from './breaker.js';
import type { Clock } from './clock.js';
import type { AttemptError, ProviderState } from './types.js';

/** The settings that apply to one provider: its own overrides over the config's. */
export interface ProviderSettings {
  readonly timeoutMs: number;
  readonly firstTokenTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly retry: RetryConfig;
  readonly breaker: BreakerConfig;
}

export function providerSettings(config: UnderstudyConfig, provider: ProviderConfig): ProviderSettings {
  return {
    timeoutMs: provider.timeoutMs ?? config.timeoutMs,
    firstTokenTimeoutMs: provider.firstTokenTimeoutMs ?? config.firstTokenTimeoutMs,
    idleTimeoutMs: provider.idleTimeoutMs ?? config.idleTimeoutMs,
    retry: { ...config.retry, ...provider.retry },
    breaker: { ...config.breaker, ...provider.breaker },
  };
}

/** One provider as the engine holds it: its client, its breaker and its running stats. */
export class ProviderSlot {
  readonly breaker: CircuitBreaker;
  private requests = 0;
  private successes = 0;
  private failures = 0;
  private consecutiveFailures = 0;
  private lastLatencyMs: number | undefined;
  private lastError: AttemptError | undefined;
  private lastAttemptAt: number | undefined;

  constructor(
    readonly config: ProviderConfig,
    readonly client: ProviderClient,
    readonly settings: ProviderSettings,
    clock: Clock,
    onBreakerChange: (slot: ProviderSlot, change: BreakerChange) => void,
  ) {
    this.breaker = new CircuitBreaker(settings.breaker, clock, (change) => onBreakerChange(this, change));
  }

  get name(): string {
    return this.config.name;
  }

  recordSuccess(ms: number, at: number): void {
    this.requests++;
    this.successes++;
    this.consecutiveFailures = 0;
    this.lastLatencyMs = ms;
    this.lastAttemptAt = at;
  }

  recordFailure(error: AttemptError, ms: number, at: number): void {
    this.requests++;
    this.failures++;
    this.consecutiveFailures++;
    this.lastError = error;
    this.lastLatencyMs = ms;
    this.lastAttemptAt = at;
  }

  /** Forgets the counts (with a breaker reset). */
  resetCounts(): void {
    this.consecutiveFailures = 0;
  }

  snapshot(): ProviderState {
    const retryAt = this.breaker.retryAt;
    return {
      name: this.config.name,
      model: this.config.model,
      breaker: this.breaker.state,
      ...(retryAt === undefined ? {} : { retryAt }),
      stats: {
        requests: this.requests,
        successes: this.successes,
        failures: this.failures,
        consecutiveFailures: this.consecutiveFailures,
        ...(this.lastLatencyMs === undefined ? {} : { lastLatencyMs: this.lastLatencyMs }),
        ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
        ...(this.lastAttemptAt === undefined ? {} : { lastAttemptAt: this.lastAttemptAt }),
      },
    };
  }
}
