import { z } from 'zod';
import type { SharedBreakerChange } from '../engine/shared-health.js';

/**
 * What travels through Redis: a breaker change, who decided it and when (wall-clock ms). The
 * sender lets an instance ignore its own messages; the time lets an instance that was cut off
 * tell, on rejoining, whether its verdict or the fleet's is the newer one.
 */
export interface Envelope {
  readonly from: string;
  readonly atWallMs: number;
  readonly change: SharedBreakerChange;
}

const changeSchema = z.discriminatedUnion('state', [
  z.object({ provider: z.string(), state: z.literal('open'), retryAtWallMs: z.number(), reopens: z.number().int().nonnegative() }),
  z.object({ provider: z.string(), state: z.literal('closed') }),
]);

const envelopeSchema = z.object({ from: z.string(), atWallMs: z.number(), change: changeSchema });

/** The envelope as stored and sent. */
export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/** The envelope in `text`, or undefined for anything else (another version, a stray write). */
export function decodeEnvelope(text: string | null | undefined): Envelope | undefined {
  if (!text) return undefined;
  try {
    const parsed = envelopeSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
