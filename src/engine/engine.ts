import { normalizeConfig } from '../config/normalize.js';
import type { UnderstudyConfig, UnderstudyConfigInput } from '../config/schema.js';
import { createProviderClient, type ProviderTransport } from '../providers/openai-compatible.js';
import { checkProvider } from './check.js';
import { systemClock, type Clock } from './clock.js';
import { complete } from './complete.js';
import type { EngineContext } from './context.js';
import { EngineEvents } from './events.js';
import { startProbe } from './probe.js';
import { hedgePolicy } from './hedge-policy.js';
import { slowSettings } from './latency.js';
import { ProviderSlot, providerSettings } from './provider-slot.js';
import { stream } from './stream.js';
import { joinFleet, toSharedChange, type SharedHealth } from './shared-health.js';
import type { Engine, EngineEvent } from './types.js';

export interface EngineOptions {
  /** Time source for breakers, backoff and timeouts; tests pass a manual clock. */
  readonly clock?: Clock;
  /** A fetch to use instead of the global one (tests, fault injection); implies the `sdk` transport. */
  readonly fetch?: typeof fetch;
  /** How providers are called: the openai SDK or the lean `node:http` client (see ProviderTransport). */
  readonly transport?: ProviderTransport;
  /** Subscribed before anything can happen, so no event is missed. */
  readonly onEvent?: (event: EngineEvent) => void;
  /** Source of jitter in [0, 1); tests pass a fixed one. */
  readonly random?: () => number;
  /** Share breaker state with other instances (a fleet): one outage learned once. */
  readonly shared?: SharedHealth;
}

/**
 * The failover engine: an ordered list of OpenAI-compatible providers behind retry with
 * backoff, a circuit breaker per provider, failover and a return to the primary once it is
 * healthy. `config` has the config file's shape, already interpolated; defaults are filled in.
 */
export function createEngine(config: UnderstudyConfigInput | UnderstudyConfig, options: EngineOptions = {}): Engine {
  const normalized = normalizeConfig(config as UnderstudyConfigInput);
  const clock = options.clock ?? systemClock;
  const events = new EngineEvents(clock);
  if (options.onEvent) events.onAny(options.onEvent);
  const slots = normalized.providers.map(
    (provider) =>
      new ProviderSlot(
        provider,
        createProviderClient(provider, {
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.transport ? { transport: options.transport } : {}),
        }),
        providerSettings(normalized, provider),
        clock,
        (slot, change) => {
          if (!change.remote) {
            const shared = toSharedChange(slot.name, change.to, change.retryAt, change.reopens, clock.now());
            if (shared) options.shared?.publish(shared);
          }
          events.emit('breaker', {
            provider: slot.name,
            from: change.from,
            to: change.to,
            ...(change.retryAt === undefined ? {} : { retryAt: change.retryAt }),
            ...(change.remote ? { remote: true } : {}),
          });
          // The instance whose trial succeeded reports the recovery; the others just follow.
          if (change.to === 'closed' && change.downForMs !== undefined && !change.remote) {
            events.emit('recovered', { provider: slot.name, downForMs: change.downForMs });
          }
        },
        slowSettings(normalized, provider),
        (slot, change) => events.emit('degraded', { provider: slot.name, ...change }),
      ),
  );
  const context: EngineContext = {
    config: normalized,
    slots,
    clock,
    events,
    random: options.random ?? Math.random,
    output: normalized.output,
    shared: options.shared,
    hedging: hedgePolicy(normalized, options.shared, clock),
  };
  const fleet = options.shared ? joinFleet(context, options.shared) : undefined;
  if (fleet) context.fleetReady = fleet.ready;
  const stopProbe =
    normalized.probe.intervalMs > 0 ? startProbe(context, normalized.probe.intervalMs, normalized.probe.kind) : () => {};

  const slotNamed = (name: string) => {
    const slot = slots.find((candidate) => candidate.name === name);
    if (!slot) throw new Error(`no provider named "${name}" (known: ${slots.map((s) => s.name).join(', ')})`);
    return slot;
  };

  return {
    complete: (request, callOptions) => complete(context, request, callOptions),
    stream: (request, streamOptions) => stream(context, request, streamOptions),
    state: () => slots.map((slot) => slot.snapshot()),
    on: (type, listener) => events.on(type, listener as (event: EngineEvent) => void),
    onAny: (listener) => events.onAny(listener),
    check: (name, kind = 'models', callOptions) => checkProvider(context, slotNamed(name), kind, callOptions),
    resetBreaker(name) {
      const slot = slotNamed(name);
      slot.breaker.reset();
      slot.resetCounts();
    },
    close() {
      stopProbe();
      fleet?.leave();
    },
  };
}
