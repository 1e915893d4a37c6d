import { z } from 'zod';
import type { RedisClient } from './connection.js';
import { decodeEnvelope } from './envelope.js';
import { fleetKeys } from './keys.js';

/** A live instance of the fleet, as its heartbeat says. */
export interface FleetInstance {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAtWallMs: number;
  readonly seenAtWallMs: number;
}

/** A breaker open somewhere in the fleet, and which instance opened it when. */
export interface FleetBreaker {
  readonly provider: string;
  readonly state: 'open';
  readonly retryAtWallMs: number;
  readonly reopens: number;
  readonly openedBy: string;
  readonly atWallMs: number;
}

const instanceSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number(),
  startedAtWallMs: z.number(),
  seenAtWallMs: z.number(),
});

/** The heartbeat record stored under `<prefix>:instances:<id>`. */
export function encodeInstance(instance: FleetInstance): string {
  return JSON.stringify(instance);
}

/**
 * The instances of fleet `prefix` whose heartbeat has not expired, oldest first. For
 * `watch --attach` and metrics: any client can read it, it need not be a member.
 */
export async function listInstances(client: RedisClient, prefix: string): Promise<FleetInstance[]> {
  const values = await readAll(client, fleetKeys(prefix).instancePattern);
  const instances: FleetInstance[] = [];
  for (const value of values) {
    const parsed = safeJson(value, instanceSchema);
    if (parsed) instances.push(parsed);
  }
  return instances.sort((a, b) => a.startedAtWallMs - b.startedAtWallMs || a.id.localeCompare(b.id));
}

/** The breakers open in fleet `prefix` right now, by provider name. */
export async function readFleetBreakers(client: RedisClient, prefix: string): Promise<FleetBreaker[]> {
  const values = await readAll(client, fleetKeys(prefix).breakerPattern);
  const breakers: FleetBreaker[] = [];
  for (const value of values) {
    const envelope = decodeEnvelope(value);
    if (envelope?.change.state !== 'open') continue;
    const { provider, retryAtWallMs, reopens } = envelope.change;
    breakers.push({ provider, state: 'open', retryAtWallMs, reopens, openedBy: envelope.from, atWallMs: envelope.atWallMs });
  }
  return breakers.sort((a, b) => a.provider.localeCompare(b.provider));
}

/** Values of every key matching `pattern`; SCAN, not KEYS, so a big shared Redis is not blocked. */
async function readAll(client: RedisClient, pattern: string): Promise<string[]> {
  const values: string[] = [];
  for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 100 })) {
    if (keys.length === 0) continue;
    // A key may expire between SCAN and MGET: its value is then null and is skipped.
    for (const value of await client.mGet(keys)) if (typeof value === 'string') values.push(value);
  }
  return values;
}

function safeJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
