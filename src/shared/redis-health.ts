import type { HedgeTotals, SharedBreakerChange, SharedHealth } from '../engine/shared-health.js';
import { Availability, type AvailabilityListener } from './availability.js';
import { bounded } from './bounded.js';
import { createFleetClient, describeRedis, type RedisClient } from './connection.js';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './envelope.js';
import { encodeInstance, listInstances, readFleetBreakers, type FleetBreaker, type FleetInstance } from './fleet-view.js';
import { instanceRecord, newInstanceId, startHeartbeat } from './heartbeat.js';
import { fleetKeys, type FleetKeys } from './keys.js';

export interface RedisHealthOptions {
  /** `redis://[:password@]host:port/db` (or `rediss://`). */
  readonly url: string;
  /** Keeps fleets apart in one Redis; see `keys.ts` for every key under it. Default `understudy`. */
  readonly prefix?: string;
  /** Bound on every Redis call, in ms. Default 50. */
  readonly timeoutMs?: number;
  /** This instance's name in the fleet. Default: host, pid and a random suffix. */
  readonly instanceId?: string;
  /** Where "unavailable" / "back" lines go, once per change. Default: stderr. */
  readonly log?: (line: string) => void;
  /** While Redis is away: how often to try it again (also caps the reconnect backoff). Default 500. */
  readonly retryMs?: number;
  /** How long start-up waits for Redis before going on alone. Default 1000. */
  readonly connectTimeoutMs?: number;
  /** How long an open breaker outlives its retry time in Redis if no one settles it. Default 600 000 (the default max cool-down). */
  readonly staleAfterMs?: number;
  /** Heartbeat period; the heartbeat key expires after three. Default 5000. */
  readonly heartbeatMs?: number;
}

/** Shared health through Redis, plus what a fleet view needs and a way to leave. */
export interface RedisHealth extends SharedHealth {
  readonly instanceId: string;
  /** Whether Redis answered the last time it was asked. */
  readonly available: boolean;
  /** The fleet's live instances (heartbeats); [] while Redis is away. */
  listInstances(): Promise<FleetInstance[]>;
  /** The fleet's open breakers; [] while Redis is away. */
  readFleetBreakers(): Promise<FleetBreaker[]>;
  /** Leaves the fleet: stops the heartbeat, removes it, and closes both connections. */
  close(): Promise<void>;
  /** The fleet's hedge ledger (see SharedHealth); undefined while Redis is away. */
  countHedges(requests: number, hedges: number, windowMs: number): Promise<HedgeTotals | undefined>;
}

/** Deletes the trial lock only if this instance holds it: a verdict frees the lock for the next trial. */
const RELEASE_TRIAL = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/**
 * Joins the fleet that shares `prefix` in the Redis at `url`. Resolves within about
 * `connectTimeoutMs` whether or not Redis answers: an unreachable Redis means the instance
 * starts alone, says so through `onAvailability`, and joins when Redis appears.
 * Use one per engine; call `close()` on shutdown so the connections let the process exit.
 */
export async function connectRedisHealth(options: RedisHealthOptions): Promise<RedisHealth> {
  const member = new RedisFleetMember(options);
  await member.start(options.connectTimeoutMs ?? 1_000);
  return member;
}

class RedisFleetMember implements RedisHealth {
  readonly instanceId: string;
  private readonly keys: FleetKeys;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly staleAfterMs: number;
  private readonly heartbeatMs: number;
  private readonly where: string;
  private readonly startedAtWallMs = Date.now();
  private readonly availability: Availability;
  private readonly client: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly listeners = new Set<(change: SharedBreakerChange) => void>();
  /**
   * Our latest verdict per provider that no newer fleet change has superseded: what Redis must
   * hold after a rejoin (it may have missed them, or restarted empty).
   */
  private readonly mine = new Map<string, Envelope>();
  private subscribing: Promise<void> | undefined;
  private closed = false;
  private rejoining = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDueAt = 0;
  private stopHeartbeat = () => {};
  private onFirstLoss: ((error: unknown) => void) | undefined;

  constructor(options: RedisHealthOptions) {
    this.instanceId = options.instanceId ?? newInstanceId();
    this.prefix = options.prefix ?? 'understudy';
    this.keys = fleetKeys(this.prefix);
    this.timeoutMs = options.timeoutMs ?? 50;
    this.retryMs = options.retryMs ?? 500;
    this.staleAfterMs = options.staleAfterMs ?? 600_000;
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
    this.where = describeRedis(options.url);
    const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
    this.availability = new Availability(log);
    const connection = { url: options.url, retryMs: this.retryMs, connectTimeoutMs: Math.max(this.timeoutMs, options.connectTimeoutMs ?? 1_000) };
    this.client = createFleetClient({ ...connection, onError: (error) => this.lost(error) });
    // A subscribed connection can run nothing else, hence a second one.
    this.subscriber = createFleetClient({ ...connection, onError: (error) => this.lost(error) });
    // When a connection is back, rejoin now rather than at the next retry tick.
    this.client.on('ready', () => this.scheduleRejoin(0));
    this.subscriber.on('ready', () => this.scheduleRejoin(0));
  }

  get available(): boolean {
    return this.availability.available;
  }

  /** Connects and subscribes; gives up waiting at the first failure or after `waitMs`. */
  async start(waitMs: number): Promise<void> {
    const connecting = Promise.all([this.client.connect(), this.subscriber.connect()]).then(() => this.listenToFleet());
    // A refused connection is known at once: no reason to wait the whole `waitMs` for it.
    const refused = new Promise<never>((_, reject) => (this.onFirstLoss = reject));
    try {
      await bounded('connect', waitMs, Promise.race([connecting, refused]));
      await this.heartbeat();
    } catch (error) {
      // Not fatal: node-redis keeps reconnecting, and the retry loop rejoins when it succeeds.
      this.lost(error);
    }
    this.onFirstLoss = undefined;
    this.stopHeartbeat = startHeartbeat(() => void this.heartbeat().catch((error) => this.lost(error)), this.heartbeatMs);
  }

  publish(change: SharedBreakerChange): void {
    if (this.closed) return;
    const envelope: Envelope = { from: this.instanceId, atWallMs: Date.now(), change };
    this.mine.set(change.provider, envelope);
    // Alone, the verdict waits in `mine` and reaches Redis on rejoin.
    if (this.available) this.write(envelope).catch((error) => this.lost(error));
  }

  subscribe(listener: (change: SharedBreakerChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async acquireTrial(provider: string, ttlMs: number): Promise<boolean> {
    // Alone, every instance runs its own trial: that is what it would do without a fleet.
    if (!this.available || this.closed) return true;
    try {
      const reply = await this.command('acquireTrial', () =>
        this.client.set(this.keys.trial(provider), this.instanceId, { expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) }, condition: 'NX' }),
      );
      return reply === 'OK';
    } catch (error) {
      this.lost(error);
      return true;
    }
  }

  async snapshot(): Promise<SharedBreakerChange[]> {
    return (await this.readFleetBreakers()).map(({ provider, retryAtWallMs, reopens }) => ({ provider, state: 'open', retryAtWallMs, reopens }));
  }

  async countHedges(requests: number, hedges: number, windowMs: number): Promise<HedgeTotals | undefined> {
    // Alone, the instance budgets its own hedges: that is what it would do without a fleet.
    if (!this.available || this.closed) return undefined;
    const window = Math.floor(Date.now() / windowMs);
    const current = this.keys.hedgeWindow(window);
    try {
      const [, , , now, before] = await this.command('countHedges', () =>
        this.client
          .multi()
          .hIncrBy(current, 'requests', requests)
          .hIncrBy(current, 'hedges', hedges)
          .pExpire(current, windowMs * 3)
          .hGetAll(current)
          .hGetAll(this.keys.hedgeWindow(window - 1))
          .exec(),
      );
      const count = (hash: unknown, field: string) => Number((hash as Record<string, string> | null)?.[field] ?? 0);
      return { requests: count(now, 'requests') + count(before, 'requests'), hedges: count(now, 'hedges') + count(before, 'hedges') };
    } catch (error) {
      this.lost(error);
      return undefined;
    }
  }

  onAvailability(listener: AvailabilityListener): () => void {
    return this.availability.onChange(listener);
  }

  listInstances(): Promise<FleetInstance[]> {
    return this.read('listInstances', () => listInstances(this.client, this.prefix));
  }

  readFleetBreakers(): Promise<FleetBreaker[]> {
    return this.read('readFleetBreakers', () => readFleetBreakers(this.client, this.prefix));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopHeartbeat();
    clearTimeout(this.retryTimer);
    if (this.available) await this.command('close', () => this.client.del(this.keys.instance(this.instanceId))).catch(() => {});
    // destroy, not close: a graceful QUIT would wait on a Redis that may be hanging.
    for (const client of [this.client, this.subscriber]) if (client.isOpen) client.destroy();
  }

  /** A read that answers [] rather than fail or wait while Redis is away. */
  private async read<T>(label: string, work: () => Promise<T[]>): Promise<T[]> {
    if (!this.available || this.closed) return [];
    try {
      return await this.command(label, work);
    } catch (error) {
      this.lost(error);
      return [];
    }
  }

  /** Subscribes once; node-redis renews the subscription by itself after each reconnect. */
  private listenToFleet(): Promise<void> {
    this.subscribing ??= this.command('subscribe', () => this.subscriber.subscribe(this.keys.changesChannel, (message) => this.receive(message)));
    // Only a failed attempt is retried, never a second listener added beside a working one.
    this.subscribing.catch(() => {
      this.subscribing = undefined;
    });
    return this.subscribing;
  }

  private receive(message: string): void {
    const envelope = decodeEnvelope(message);
    if (!envelope || envelope.from === this.instanceId) return;
    this.supersede(envelope);
    this.deliver(envelope.change);
  }

  /** A fleet change newer than our verdict on that provider is the one to keep. */
  private supersede(envelope: Envelope): void {
    const own = this.mine.get(envelope.change.provider);
    if (own && own.atWallMs <= envelope.atWallMs) this.mine.delete(envelope.change.provider);
  }

  private deliver(change: SharedBreakerChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // One engine's bug must not stop the fleet's news reaching the others.
      }
    }
  }

  /** Stores the change (an open breaker with its expiry, a closed one deleted), frees our trial lock, tells the fleet. */
  private async write(envelope: Envelope): Promise<void> {
    const { change } = envelope;
    const text = encodeEnvelope(envelope);
    const multi = this.client.multi();
    if (change.state === 'open') {
      const ttl = Math.max(1, Math.ceil(change.retryAtWallMs - Date.now() + this.staleAfterMs));
      multi.set(this.keys.breaker(change.provider), text, { expiration: { type: 'PX', value: ttl } });
    } else {
      multi.del(this.keys.breaker(change.provider));
    }
    multi.eval(RELEASE_TRIAL, { keys: [this.keys.trial(change.provider)], arguments: [this.instanceId] });
    multi.publish(this.keys.changesChannel, text);
    await this.command('publish', () => multi.exec());
  }

  private async heartbeat(): Promise<void> {
    if (!this.available || this.closed) return;
    const record = encodeInstance(instanceRecord(this.instanceId, this.startedAtWallMs));
    await this.command('heartbeat', () =>
      this.client.set(this.keys.instance(this.instanceId), record, { expiration: { type: 'PX', value: this.heartbeatMs * 3 } }),
    );
  }

  private command<T>(label: string, work: () => Promise<T>): Promise<T> {
    return bounded(label, this.timeoutMs, work());
  }

  /** Redis stopped answering: go on alone, say so once, and keep trying to rejoin. */
  private lost(error: unknown): void {
    if (this.closed) return;
    this.onFirstLoss?.(error);
    const reason = error instanceof Error ? error.message : String(error);
    this.availability.down(`shared health: Redis at ${this.where} is unavailable (${reason}); breakers are local until it answers again`);
    this.scheduleRejoin(this.retryMs);
  }

  /** Plans a rejoin attempt in `delayMs`, unless one is already due sooner. */
  private scheduleRejoin(delayMs: number): void {
    if (this.closed || this.available || this.rejoining) return;
    const dueAt = Date.now() + delayMs;
    // Every failed reconnect reports an error; none of them may push the next attempt back.
    if (this.retryTimer && this.retryDueAt <= dueAt) return;
    clearTimeout(this.retryTimer);
    this.retryDueAt = dueAt;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.rejoin();
    }, delayMs);
    this.retryTimer.unref();
  }

  /** Once both connections answer: subscribe, settle what changed while apart, then say "back". */
  private async rejoin(): Promise<void> {
    if (this.closed || this.available || this.rejoining) return;
    this.rejoining = true;
    try {
      if (!this.client.isReady || !this.subscriber.isReady) throw new Error('not connected');
      await this.command('ping', () => this.client.ping());
      await this.listenToFleet();
      await this.reconcile();
      this.availability.up(`shared health: Redis at ${this.where} is back; breakers are shared again`);
      await this.heartbeat().catch(() => {});
    } catch {
      // Still away: try again later, without another "unavailable" line.
    } finally {
      this.rejoining = false;
      this.scheduleRejoin(this.retryMs);
    }
  }

  /**
   * What changed while apart: our verdicts newer than the fleet's go to Redis (a primary this
   * instance found dead while alone is not re-learned by the others; a Redis restarted empty
   * learns our open breakers back); the fleet's other breakers are adopted here.
   */
  private async reconcile(): Promise<void> {
    const written = new Set<string>();
    for (const [provider, envelope] of [...this.mine]) {
      const { change } = envelope;
      if (change.state === 'open' && change.retryAtWallMs + this.staleAfterMs < Date.now()) {
        this.mine.delete(provider);
        continue;
      }
      const current = decodeEnvelope(await this.command('reconcile', () => this.client.get(this.keys.breaker(provider))));
      if (current && current.atWallMs > envelope.atWallMs) {
        this.supersede(current);
        continue;
      }
      if (current || change.state === 'open') {
        await this.write(envelope);
        written.add(provider);
      }
    }
    const fleet = await this.command('reconcile', () => readFleetBreakers(this.client, this.prefix));
    for (const breaker of fleet) {
      if (written.has(breaker.provider) || breaker.openedBy === this.instanceId) continue;
      this.deliver({ provider: breaker.provider, state: 'open', retryAtWallMs: breaker.retryAtWallMs, reopens: breaker.reopens });
    }
  }
}
