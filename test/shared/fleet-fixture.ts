import { connectRedisHealth, type RedisHealth, type RedisHealthOptions } from '../../src/shared/redis-health.js';
import { harness, hostOf, type Harness } from '../support/engine-harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { completion, scriptedFetch, status, type ScriptedFetch } from '../support/scripted-fetch.js';

/** Threshold 2 and no retries: two failed requests open a breaker. */
export const FLEET_SETTINGS = { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, cooldownMs: 5_000 } };

let fleets = 0;
/** A prefix no other test uses, so tests sharing one Redis never see each other. */
export const freshPrefix = (name = 'fleet') => `test:${name}:${process.pid}:${++fleets}`;

/** One instance: a real engine over scripted providers, joined to the fleet through Redis. */
export interface Instance extends Harness {
  readonly health: RedisHealth;
  readonly logs: string[];
  /** The engine's `shared` events, in order. */
  sharedEvents(): { available: boolean; detail: string }[];
}

/**
 * Instances of one fleet over the same scripted providers (primary answers 503, backup
 * answers), all closed by `closeAll()`.
 */
export class FleetFixture {
  readonly clock = new ManualClock();
  readonly net: ScriptedFetch = scriptedFetch({ [hostOf(0)]: [status(503)], [hostOf(1)]: [completion('backup')] });
  private readonly members: Instance[] = [];

  constructor(private readonly defaults: Omit<RedisHealthOptions, 'url'> & { url: string }) {}

  async instance(overrides: Partial<RedisHealthOptions> = {}, settings: Parameters<typeof harness>[1] = FLEET_SETTINGS): Promise<Instance> {
    const logs: string[] = [];
    const health = await connectRedisHealth({ log: (line) => logs.push(line), ...this.defaults, ...overrides });
    const engine = harness({ primary: [], backup: [] }, settings, { clock: this.clock, fetch: this.net, shared: health });
    const member: Instance = {
      ...engine,
      health,
      logs,
      sharedEvents: () => engine.eventsOf('shared').map(({ available, detail }) => ({ available, detail })),
    };
    this.members.push(member);
    return member;
  }

  primaryCalls(): number {
    return this.net.calls(hostOf(0));
  }

  async closeAll(): Promise<void> {
    for (const member of this.members.splice(0)) {
      member.engine.close();
      await member.health.close();
    }
  }
}

/** The primary breaker's state as `instance` sees it. */
export const primaryBreaker = (instance: Harness) => instance.engine.state()[0]!.breaker;
