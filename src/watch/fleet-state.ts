import type { ProviderState } from '../engine/types.js';
import type { FleetBreaker, FleetInstance } from '../shared/fleet-view.js';
import type { InstanceView } from './health-source.js';
import { buildRows, trafficTarget, type WatchRow } from './rows.js';
import type { WatchEvent } from './watch-events.js';

/** A provider the watch knows of: from `--config` (in failover order) or seen open in the fleet. */
export interface KnownProvider {
  readonly name: string;
  readonly model: string;
}

/**
 * A fleet's breakers and instances from successive polls of its shared keys, and what changed
 * between two polls as watch events. Redis holds only open breakers (a closed one's key is
 * deleted), so a provider is closed when its key is gone. Pure: the source does the I/O.
 */
export class FleetState {
  private open = new Map<string, FleetBreaker>();
  private live = new Map<string, FleetInstance>();
  /** Providers seen open without being in the config, kept as closed rows once they recover. */
  private readonly seen = new Set<string>();
  private polls = 0;

  /** `providers`: the config's, in failover order; empty when watching without one (order unknown). */
  constructor(private readonly providers: readonly KnownProvider[]) {}

  /** Takes one poll's result (`at`: wall-clock ms); returns the changes since the previous poll. */
  apply(breakers: readonly FleetBreaker[], instances: readonly FleetInstance[], at: number): WatchEvent[] {
    const first = this.polls++ === 0;
    const events: WatchEvent[] = [];
    const open = new Map(breakers.map((breaker) => [breaker.provider, breaker]));
    for (const breaker of breakers) {
      this.seen.add(breaker.provider);
      const before = this.open.get(breaker.provider);
      // A newer open envelope for a provider already open: its half-open trial failed, it re-opened.
      if (before && before.atWallMs === breaker.atWallMs) continue;
      if (!first) {
        events.push({
          type: 'breaker',
          at: breaker.atWallMs,
          provider: breaker.provider,
          from: before ? 'half-open' : 'closed',
          to: 'open',
          retryAt: breaker.retryAtWallMs,
          cause: `opened by ${breaker.openedBy}${breaker.reopens > 0 ? `, re-open ${breaker.reopens}` : ''}`,
        });
      }
    }
    for (const provider of this.open.keys()) {
      if (!open.has(provider)) events.push({ type: 'breaker', at, provider, from: 'open', to: 'closed' });
    }
    const live = new Map(instances.map((instance) => [instance.id, instance]));
    if (!first) {
      for (const instance of instances) {
        if (!this.live.has(instance.id)) events.push({ type: 'instance', at, id: instance.id, change: 'joined', host: instance.host, pid: instance.pid });
      }
      for (const id of this.live.keys()) if (!live.has(id)) events.push({ type: 'instance', at, id, change: 'left' });
    }
    this.open = open;
    this.live = live;
    return events;
  }

  /** Rows at wall-clock `now`: every known provider, open ones with their countdown, no figures (the fleet shares none). */
  rows(now: number): WatchRow[] {
    const rows = buildRows({ states: this.states(), history: new Map(), now }).map((row) => ({ ...row, noFigures: true }));
    // Without the config's order there is no telling where traffic goes.
    return this.ordered ? rows : rows.map((row) => ({ ...row, traffic: false }));
  }

  /** Where a request would go now; undefined when every breaker is open or the order is unknown. */
  traffic(): string | undefined {
    return this.ordered ? trafficTarget(this.states()) : undefined;
  }

  /** The live instances, oldest first. */
  instances(): InstanceView[] {
    return [...this.live.values()].map((instance) => ({
      id: instance.id,
      host: instance.host,
      pid: instance.pid,
      startedAt: instance.startedAtWallMs,
      seenAt: instance.seenAtWallMs,
    }));
  }

  private get ordered(): boolean {
    return this.providers.length > 0;
  }

  private states(): ProviderState[] {
    const configured = new Set(this.providers.map((provider) => provider.name));
    const extra = [...this.seen].filter((name) => !configured.has(name)).sort();
    const all = [...this.providers, ...extra.map((name) => ({ name, model: '—' }))];
    return all.map(({ name, model }) => {
      const breaker = this.open.get(name);
      return {
        name,
        model,
        breaker: breaker ? 'open' : 'closed',
        ...(breaker ? { retryAt: breaker.retryAtWallMs } : {}),
        stats: { requests: 0, successes: 0, failures: 0, consecutiveFailures: 0 },
      };
    });
  }
}
