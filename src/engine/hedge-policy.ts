import type { HedgeConfig, UnderstudyConfig } from '../config/schema.js';
import type { Permit } from './breaker.js';
import type { Clock } from './clock.js';
import { FleetHedgeBudget } from './fleet-hedge-budget.js';
import { TokenBucket, type HedgeBudget } from './hedge-budget.js';
import type { SharedHealth } from './shared-health.js';
import type { ProviderSlot } from './provider-slot.js';

/** The hedge budget when only `onSlow: hedge` asks for hedging (no `hedge` block in config). */
const DEFAULT_MAX_EXTRA_PERCENT = 5;

/** When and how often a request may be hedged; absent from an engine that can never hedge. */
export interface HedgePolicy {
  readonly config: HedgeConfig | undefined;
  readonly budget: HedgeBudget;
  readonly minSamples: number;
}

/**
 * A policy when the config hedges at all: a `hedge` block, or a provider with `slowMs` and
 * `onSlow: hedge`. In fleet mode (a store that keeps a hedge ledger) the budget is the fleet's.
 */
export function hedgePolicy(config: UnderstudyConfig, shared?: SharedHealth, clock?: Clock): HedgePolicy | undefined {
  const slowHedges = config.providers.some(
    (provider) => (provider.slowMs ?? config.slowMs) !== undefined && (provider.onSlow ?? config.onSlow) === 'hedge',
  );
  if (!config.hedge && !slowHedges) return undefined;
  const percent = config.hedge?.maxExtraPercent ?? DEFAULT_MAX_EXTRA_PERCENT;
  const countHedges = shared?.countHedges?.bind(shared);
  return {
    config: config.hedge,
    budget: countHedges && clock ? new FleetHedgeBudget(percent, { countHedges }, clock) : new TokenBucket(percent),
    minSamples: config.latency.minSamples,
  };
}

/**
 * How long a call to `slot` runs alone before the next provider is hedged in, or undefined for
 * no hedge: the configured point (`afterMs`, or the provider's own `afterPercentile` of time to
 * first token once the window has enough samples, never earlier than `afterMs`), and for a
 * degraded provider with `onSlow: hedge` its `slowMs` if that comes sooner. A half-open trial
 * is never hedged: it alone decides the breaker.
 */
export function hedgePoint(policy: HedgePolicy, slot: ProviderSlot, permit: Permit, now: number): number | undefined {
  if (permit.trial) return undefined;
  const configured = configuredPoint(policy, slot, now);
  const slow = slot.slow.hedgeAtMs();
  if (slow === undefined) return configured;
  return configured === undefined ? slow : Math.min(configured, slow);
}

function configuredPoint(policy: HedgePolicy, slot: ProviderSlot, now: number): number | undefined {
  const hedge = policy.config;
  if (!hedge) return undefined;
  if (hedge.afterPercentile === undefined) return hedge.afterMs;
  const record = slot.latency.firstToken;
  if (record.count(now) < policy.minSamples) return hedge.afterMs;
  const point = record.quantile(hedge.afterPercentile / 100, now)!;
  return Math.max(point, hedge.afterMs ?? 0);
}
