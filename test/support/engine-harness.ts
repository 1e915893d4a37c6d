import { createEngine } from '../../src/engine/engine.js';
import type { UnderstudyConfigInput } from '../../src/config/schema.js';
import type { Engine, EngineEvent } from '../../src/engine/types.js';
import type { SharedHealth } from '../../src/engine/shared-health.js';
import { ManualClock } from './manual-clock.js';
import { scriptedFetch, type Reply, type ScriptedFetch } from './scripted-fetch.js';

/** Loopback addresses that nothing listens on: the scripted fetch answers before any socket. */
export const hostOf = (index: number) => `127.0.0.1:${20001 + index}`;

export interface Harness {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly net: ScriptedFetch;
  readonly events: EngineEvent[];
  /** Requests a provider received. */
  calls(provider: string): number;
  script(provider: string, replies: Reply[]): void;
  eventsOf<T extends EngineEvent['type']>(type: T): Extract<EngineEvent, { type: T }>[];
}

/**
 * An engine over scripted providers with a manual clock and no jitter. `scripts` is ordered:
 * the first entry is the primary.
 */
export function harness(
  scripts: Record<string, Reply[]>,
  config: Omit<Partial<UnderstudyConfigInput>, 'providers'> & { providerExtras?: Record<string, object> } = {},
  extras: { clock?: ManualClock; shared?: SharedHealth; fetch?: ScriptedFetch } = {},
): Harness {
  const names = Object.keys(scripts);
  const clock = extras.clock ?? new ManualClock();
  const net = extras.fetch ?? scriptedFetch(Object.fromEntries(names.map((name, index) => [hostOf(index), scripts[name]!])), clock);
  const events: EngineEvent[] = [];
  const { providerExtras, ...rest } = config;
  const engine = createEngine(
    {
      providers: names.map((name, index) => ({
        name,
        baseURL: `http://${hostOf(index)}/v1`,
        apiKey: `sk-test-${name}-0123456789`,
        model: `${name}-model`,
        ...providerExtras?.[name],
      })),
      ...rest,
      retry: { baseDelayMs: 100, maxDelayMs: 1_000, jitter: false, ...rest.retry },
    },
    { clock, fetch: net.fetch, onEvent: (event) => events.push(event), ...(extras.shared ? { shared: extras.shared } : {}) },
  );
  return {
    engine,
    clock,
    net,
    events,
    calls: (provider) => net.calls(hostOf(names.indexOf(provider))),
    script: (provider, replies) => net.script(hostOf(names.indexOf(provider)), replies),
    eventsOf: (type) => events.filter((event) => event.type === type) as never,
  };
}

export const PROMPT = { messages: [{ role: 'user' as const, content: 'hi' }] };
