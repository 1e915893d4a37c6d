import { z } from 'zod';

/**
 * The `state` section of the config: where a fleet of instances shares breaker state.
 * Strict like the rest of the config, so a typo cannot silently turn fleet mode off.
 *
 * ```yaml
 * state:
 *   redis: ${REDIS_URL}        # redis://127.0.0.1:6379/0 (rediss:// for TLS)
 *   prefix: understudy:prod    # several fleets can share one Redis
 * ```
 */
export const sharedStateSchema = z
  .object({
    /** The Redis to share through: a `redis://` or `rediss://` URL (it may carry a password). */
    redis: z
      .string()
      .url()
      .refine((url) => /^rediss?:\/\//.test(url), { message: 'must be a redis:// or rediss:// URL' }),
    /** Namespace of every key and channel: instances with the same prefix are one fleet. */
    prefix: z.string().min(1).default('understudy'),
    /** Bound on every Redis call; past it the instance acts alone until Redis answers again. */
    timeoutMs: z.number().int().positive().max(5_000).default(50),
  })
  .strict();

export type SharedStateConfig = z.infer<typeof sharedStateSchema>;
export type SharedStateConfigInput = z.input<typeof sharedStateSchema>;
