import type { ConfigWarning } from '../config/warnings.js';
import type { AttemptError, FailureClass } from '../engine/types.js';

/**
 * The shapes `ping` produces. A report is plain data: the renderers (table, JSON, JUnit,
 * GitHub) read it and nothing else, so every format says the same thing.
 */

/** Why one check failed: the classified error plus the one next step to try. */
export interface CheckFailure extends AttemptError {
  /** One actionable, secret-free sentence: what is wrong and what to try. */
  readonly hint: string;
}

/** The outcome of one check of one provider. */
export interface CheckResult {
  /** `reach`, `auth`, `model`, `completion`, `stream`, ... */
  readonly name: string;
  /** Passed, or only warned. False for a failure and for a skipped check. */
  readonly ok: boolean;
  /** How long the check took; undefined when it was skipped. */
  readonly ms?: number;
  /** What was found, in a few words ("3 models listed", "first token in 84 ms"). */
  readonly detail: string;
  /** Passed with a reservation (a model not listed, but the list may be partial). Never fails the provider. */
  readonly warning?: boolean;
  /** Did not run, because an earlier check failed. */
  readonly skipped?: boolean;
  /** Set when the check failed. */
  readonly failure?: CheckFailure;
  /** For a stream: time from the request to its first content. */
  readonly firstTokenMs?: number;
  /** For the key check: what checked the key, `GET /models` or a 1-token completion. */
  readonly via?: 'models' | 'completion';
}

/** The first failure of a provider, as `--json` shows it. */
export interface ProviderError {
  readonly class: FailureClass;
  /** The HTTP status, or null for a failure below HTTP (DNS, refused, timeout). */
  readonly status: number | null;
  readonly message: string;
  readonly hint: string;
}

/** One provider, checked on its own. */
export interface ProviderReport {
  readonly name: string;
  readonly model: string;
  /** Every check passed or only warned. */
  readonly ok: boolean;
  /**
   * How long the provider took to answer: the 1-token completion, or `GET /models` when the
   * completion is not run. Null when neither succeeded.
   */
  readonly latencyMs: number | null;
  /**
   * Set when that answer took longer than the provider's `slowMs`: the engine would soon mark it
   * degraded. A warning, never a failure: a slow provider still answers.
   */
  readonly degraded?: { readonly latencyMs: number; readonly slowMs: number };
  /** How long pinging this provider took, every check included. */
  readonly totalMs: number;
  readonly checks: readonly CheckResult[];
  /** The first failed check's failure; null when the provider is healthy. */
  readonly error: ProviderError | null;
}

/** One alert sink: could it take an alert? Checked without sending one. */
export interface SinkReport {
  /** A label safe to print: a URL's scheme and host, never its path or token; a command's program. */
  readonly sink: string;
  readonly ok: boolean;
  /** What was checked (`127.0.0.1:8080 accepts TCP connections`) or what failed. */
  readonly detail: string;
  /** How long the check took. */
  readonly ms: number;
}

/** What `pingProviders` resolves to. */
export interface PingReport {
  /**
   * The verdict the exit code follows: enough providers healthy, every alert sink reachable,
   * and, under `strict`, no config warning.
   */
  readonly ok: boolean;
  /** How many healthy providers make the ping pass (all of them unless `--require N`). */
  readonly required: number;
  /** How many providers passed. */
  readonly healthy: number;
  /** In config order. */
  readonly providers: readonly ProviderReport[];
  /** Every alert sink, in config order; empty when none is configured or they were not checked. */
  readonly alerts: readonly SinkReport[];
  /** Settings that weaken failover (shared host, key or vendor, a hair-trigger breaker, ...). */
  readonly warnings: readonly ConfigWarning[];
  /** `--strict`: the warnings are failures. */
  readonly strict: boolean;
  /** The timeout each check was given, when `--timeout` set one for every provider. */
  readonly timeoutMs?: number;
}
