import { z } from 'zod';

/**
 * The config contract. Every field but `providers` has a default, and partial objects
 * (`retry: { maxRetries: 0 }`) are completed from the defaults, so a minimal config is a
 * provider list. The schema is strict: an unknown key is an error, because a typo must not
 * silently disable a setting.
 */

export const failureClassSchema = z.enum(['retryable', 'provider-only', 'fatal']);
export type FailureClass = z.infer<typeof failureClassSchema>;

const ms = z.number().int().nonnegative();
const positiveMs = z.number().int().positive();

export const retrySchema = z
  .object({
    /** Retries of the same provider after its first attempt (0 = fail over at once). */
    maxRetries: z.number().int().min(0).max(20).default(2),
    baseDelayMs: ms.default(500),
    maxDelayMs: ms.default(8_000),
    /** Full jitter on the exponential delay, so many clients do not retry in lock-step. */
    jitter: z.boolean().default(true),
    /** A 429 asking to wait longer than this moves on to the next provider at once. */
    maxRetryAfterMs: ms.default(30_000),
  })
  .strict();

export const breakerSchema = z
  .object({
    /** Consecutive failures that open the breaker. */
    failureThreshold: z.number().int().positive().default(3),
    cooldownMs: positiveMs.default(30_000),
    /** The cool-down doubles at each re-open after a failed half-open trial, up to this. */
    maxCooldownMs: positiveMs.default(600_000),
    /** Cool-down after a rejected key or unknown model: someone has to act, so retest rarely. */
    providerErrorCooldownMs: positiveMs.default(300_000),
  })
  .strict();

/** What an alert is about (DESIGN.md: warn on failover, page when everything fails). */
export const alertKindSchema = z.enum(['failover', 'breaker-open', 'exhausted', 'recovered', 'auth', 'fleet', 'degraded']);
export type AlertKind = z.infer<typeof alertKindSchema>;

const alertCommon = {
  /** The kinds this sink receives (default: all of them). */
  on: z.array(alertKindSchema).min(1).default(['failover', 'breaker-open', 'exhausted', 'recovered', 'auth', 'fleet', 'degraded']),
  /** At most one alert per kind and provider in this window; later ones are counted into the next. */
  throttleMs: ms.default(300_000),
  /** Bound on one delivery attempt, so a dead sink never holds anything up. */
  timeoutMs: positiveMs.default(5_000),
  /** Extra delivery attempts after a failed one. */
  retries: z.number().int().min(0).max(5).default(2),
};

export const alertSinkSchema = z.discriminatedUnion('type', [
  /** A generic JSON POST. */
  z.object({ type: z.literal('webhook'), url: z.string().url(), headers: z.record(z.string(), z.string()).optional(), ...alertCommon }).strict(),
  /** A Slack incoming-webhook payload (text + blocks). */
  z.object({ type: z.literal('slack'), url: z.string().url(), ...alertCommon }).strict(),
  /** A program run with the alert as JSON on stdin. */
  z.object({ type: z.literal('command'), run: z.string().min(1), args: z.array(z.string()).optional(), ...alertCommon }).strict(),
]);
export type AlertSinkConfig = z.output<typeof alertSinkSchema>;

/** One of the team's real prompts, and what a good answer must satisfy (`drill` sends it to every provider). */
export const drillTaskSchema = z
  .object({
    name: z.string().min(1),
    /** The prompt as one user message, or `messages` for a whole conversation. */
    prompt: z.string().min(1).optional(),
    messages: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
    /** Passed through to every provider, like any request field. */
    max_tokens: z.number().int().positive().optional(),
    temperature: z.number().min(0).max(2).optional(),
    expect: z
      .object({
        /** A JSON Schema the answer, parsed as JSON, must match. */
        schema: z.record(z.string(), z.unknown()).optional(),
        /** A regular expression the answer must match. */
        matches: z.string().optional(),
        /** Words or phrases the answer must contain (case-insensitive). */
        contains: z.array(z.string()).optional(),
        /** The slowest acceptable answer. */
        maxLatencyMs: positiveMs.optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .refine((task) => (task.prompt === undefined) !== (task.messages === undefined), { message: 'give prompt or messages (one of them)' });
export type DrillTask = z.output<typeof drillTaskSchema>;

/**
 * Where a fleet of instances shares breaker state (fleet mode). Strict like the rest, so a typo
 * cannot silently turn fleet mode off.
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
export type SharedStateConfig = z.output<typeof sharedStateSchema>;
export type SharedStateConfigInput = z.input<typeof sharedStateSchema>;

/** `understudy serve`: the engine as a local OpenAI-compatible gateway. */
export const serveSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(4141),
    /** Client tokens; required when listening beyond loopback. */
    tokens: z.array(z.string().min(1)).default([]),
    /** Largest request body accepted, in bytes. */
    bodyLimitBytes: z.number().int().positive().default(4 * 1024 * 1024),
  })
  .strict();
export type ServeConfig = z.output<typeof serveSchema>;

/** How a slow provider is treated once its p90 is over `slowMs`: hedged in early, or skipped. */
export const onSlowSchema = z.enum(['hedge', 'skip']);

/** The rolling latency record every provider keeps (what `slowMs` and `afterPercentile` read). */
export const latencySchema = z
  .object({
    /** How far back the record looks. */
    windowMs: positiveMs.default(60_000),
    /** Fewer samples than this in the window say nothing: no `degraded`, no percentile hedge point. */
    minSamples: z.number().int().positive().default(10),
    /** With `onSlow: skip`, one request in this many still goes to a degraded provider, so it can prove it is fast again. */
    trialEvery: z.number().int().positive().default(20),
  })
  .strict();
export type LatencyConfig = z.output<typeof latencySchema>;

/**
 * Budgeted hedging: when the chosen provider has no first token by the hedge point, the same
 * request also goes to the next healthy provider, and the first answer wins.
 */
export const hedgeSchema = z
  .object({
    /** A fixed hedge point. With `afterPercentile` too: used until the record has enough samples, and as a floor. */
    afterMs: positiveMs.optional(),
    /** The hedge point as this percentile of the provider's own time to first token (e.g. 95). */
    afterPercentile: z.number().min(50).max(99.9).optional(),
    /** Hedges are capped at this share of requests (a token bucket), so a slowdown cannot double traffic. */
    maxExtraPercent: z.number().min(0).max(100).default(5),
  })
  .strict()
  .refine((hedge) => hedge.afterMs !== undefined || hedge.afterPercentile !== undefined, {
    message: 'give afterMs or afterPercentile (or both)',
  });
export type HedgeConfig = z.output<typeof hedgeSchema>;

type RetryInput = z.input<typeof retrySchema>;
type BreakerInput = z.input<typeof breakerSchema>;

const partialRetry = retrySchema.partial();
const partialBreaker = breakerSchema.partial();

/** A request field: `seed`, or one inside each element of an array (`messages[].name`) or object (`stream_options.include_usage`). */
const paramPath = z
  .string()
  .regex(/^[A-Za-z_][\w-]*(\[\])?(\.[A-Za-z_][\w-]*(\[\])?)*$/, 'a request field name, like "seed" or "messages[].name"')
  .refine((path) => !['messages', 'model', 'stream'].includes(path), { message: 'messages, model and stream cannot be dropped' });

export const providerSchema = z
  .object({
    /** Unique; used in output, events and `--provider`. */
    name: z.string().min(1),
    /** A known provider whose base URL is filled in (see presets). */
    preset: z.string().optional(),
    baseURL: z.string().url().optional(),
    apiKey: z.string().optional(),
    /** Read the key from this file instead (trailing newline trimmed). */
    apiKeyFile: z.string().optional(),
    model: z.string().min(1),
    /** Tokens; a request too long for a provider fails over only to a larger window. */
    contextWindow: z.number().int().positive().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** The name the token limit is sent under; default: the preset's, else as the caller wrote it. */
    tokenLimitField: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
    /**
     * Request fields never sent to this provider, because it rejects them (a 400 that is the
     * vendor's, not the caller's); replaces the preset's list (`[]` sends everything).
     */
    dropParams: z.array(paramPath).optional(),
    /**
     * A PEM file of the certificate authorities this provider's certificate is checked against,
     * instead of the usual ones, as curl's --cacert (relative to the config file).
     */
    ca: z.string().min(1).optional(),
    timeoutMs: positiveMs.optional(),
    firstTokenTimeoutMs: positiveMs.optional(),
    idleTimeoutMs: positiveMs.optional(),
    retry: partialRetry.strict().optional(),
    breaker: partialBreaker.strict().optional(),
    /** This provider's own `slowMs` / `onSlow` (over the config's). */
    slowMs: positiveMs.optional(),
    onSlow: onSlowSchema.optional(),
  })
  .strict();

export const configSchema = z
  .object({
    providers: z.array(providerSchema).min(1, 'at least one provider is required'),
    /** A whole non-streamed call, headers and body. */
    timeoutMs: positiveMs.default(30_000),
    /** A stream's wait for its first content. */
    firstTokenTimeoutMs: positiveMs.default(15_000),
    /** A stream's longest gap between chunks once it has started. */
    idleTimeoutMs: positiveMs.default(15_000),
    /** One budget for the whole chain of attempts across every provider. */
    deadlineMs: positiveMs.default(120_000),
    /** Cap on attempts per request across every provider, so retries x providers stays bounded. */
    maxAttempts: z.number().int().positive().default(10),
    retry: retrySchema.default(() => retrySchema.parse({})),
    breaker: breakerSchema.default(() => breakerSchema.parse({})),
    /** A provider whose p90 time to first token is over this is `degraded` (unset: never). */
    slowMs: positiveMs.optional(),
    /** What a degraded provider gets: hedged in early (at `slowMs`), or skipped like an open breaker. */
    onSlow: onSlowSchema.default('hedge'),
    latency: latencySchema.default(() => latencySchema.parse({})),
    /** Budgeted hedging (off unless given). */
    hedge: hedgeSchema.optional(),
    probe: z
      .object({
        /** Background re-test of open providers; 0 = off. */
        intervalMs: ms.default(0),
        /** What the probe sends: a 1-token completion (the real path) or `GET /models` (free). */
        kind: z.enum(['completion', 'models']).default('completion'),
      })
      .strict()
      .default({ intervalMs: 0, kind: 'completion' }),
    /** Per-status override of the failure class, e.g. `{ "404": "retryable" }`. */
    classify: z
      .record(
        z.string().regex(/^\d{3}$/, 'keys are HTTP status codes like "404"'),
        // `provider` is the short form people write (and the README's example uses).
        z.union([failureClassSchema, z.literal('provider').transform(() => 'provider-only' as const)]),
      )
      .default({}),
    /** What a stream does when its provider fails after the first token. */
    midStream: z.enum(['restart', 'fail']).default('restart'),
    /** What every answer must satisfy, whichever provider gave it (see OutputContract). */
    output: z
      .object({
        /** A JSON Schema the answer, parsed as JSON, must match. */
        schema: z.record(z.string(), z.unknown()).optional(),
        /** A function (in a JS/TS config) returning what is wrong, or undefined. */
        validate: z
          .custom<(content: string, completion: unknown) => string | undefined | Promise<string | undefined>>(
            (value) => typeof value === 'function',
            'must be a function (content, completion) => problem | undefined',
          )
          .optional(),
        repairAttempts: z.number().int().min(0).max(5).default(1),
        countsTowardsBreaker: z.boolean().default(false),
      })
      .strict()
      .optional(),
    /** Where to send notifications of failovers and outages. */
    alerts: z.array(alertSinkSchema).default([]),
    /** `understudy drill`: the team's own tasks every provider must be able to do. */
    drill: z
      .object({
        tasks: z.array(drillTaskSchema).default([]),
        /** The slowest p95 a caller may see in the slow-primary and slow-tail scenarios (default: half the slow answer time). */
        maxP95Ms: positiveMs.optional(),
      })
      .strict()
      .default({ tasks: [] }),
    /** Share breaker state with other instances through Redis (fleet mode). */
    state: sharedStateSchema.optional(),
    /**
     * `understudy serve`: model aliases a client may ask for, each routed to its own ordered
     * list of providers (`{ "fast": ["groq", "openai"] }`). Other models use every provider.
     */
    models: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional(),
    /** Settings of `understudy serve`. */
    serve: serveSchema.default(() => serveSchema.parse({})),
  })
  .strict();

/** What a user writes (defaults optional). */
export type UnderstudyConfigInput = z.input<typeof configSchema>;
/** The config with every default filled in. */
export type UnderstudyConfig = z.output<typeof configSchema>;
export type ProviderConfigInput = z.input<typeof providerSchema>;
export type ProviderConfig = z.output<typeof providerSchema>;
export type RetryConfig = z.output<typeof retrySchema>;
export type BreakerConfig = z.output<typeof breakerSchema>;
export type { RetryInput, BreakerInput };

/** Typed identity for `understudy.config.ts`. */
export function defineConfig(config: UnderstudyConfigInput): UnderstudyConfigInput {
  return config;
}
