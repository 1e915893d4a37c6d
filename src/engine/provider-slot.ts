import type { BreakerConfig, ProviderConfig, RetryConfig, UnderstudyConfig } from '../config/schema.js';
import type { ProviderClient } from '../providers/openai-compatible.js';
import { CircuitBreaker, type BreakerChange } from './breaker.js';
import type { Clock } from './clock.js';
import { LatencyRecord, type SlowSettings } from './latency.js';
import { SlowDetector, type HealthChange } from './slow-detector.js';
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
  readonly latency: LatencyRecord;
  readonly slow: SlowDetector;
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
    private readonly clock: Clock,
    onBreakerChange: (slot: ProviderSlot, change: BreakerChange) => void,
    slowSettings: SlowSettings,
    onHealthChange: (slot: ProviderSlot, change: HealthChange) => void = () => {},
  ) {
    this.breaker = new CircuitBreaker(settings.breaker, clock, (change) => onBreakerChange(this, change));
    this.latency = new LatencyRecord(slowSettings.latency.windowMs);
    this.slow = new SlowDetector(slowSettings, this.latency, (change) => onHealthChange(this, change));
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

  /**
   * Time until the provider committed (first content, or a whole `complete` answer); also the
   * time a timed-out or out-raced call had taken, as a floor of its latency.
   */
  recordFirstToken(ms: number, at: number): void {
    this.latency.firstToken.record(ms, at);
    this.slow.judge(at);
  }

  /** A whole successful call. */
  recordTotal(ms: number, at: number): void {
    this.latency.total.record(ms, at);
  }

  /** Forgets the counts (with a breaker reset). */
  resetCounts(): void {
    this.consecutiveFailures = 0;
  }

  snapshot(): ProviderState {
    const retryAt = this.breaker.retryAt;
    const now = this.clock.now();
    this.slow.judge(now);
    const latency = this.latency.snapshot(now);
    const p90Ms = this.slow.figure;
    const slowMs = this.slow.slowMs;
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
      ...(this.slow.degraded && p90Ms !== undefined && slowMs !== undefined ? { degraded: { p90Ms, slowMs } } : {}),
      ...(latency.firstToken || latency.total ? { latency } : {}),
    };
  }
}
