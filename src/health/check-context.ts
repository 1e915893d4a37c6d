import type { KeySource } from '../config/key-sources.js';
import type { ProviderConfig } from '../config/schema.js';
import type { AttemptScope } from '../engine/attempt-scope.js';
import type { AttemptError } from '../engine/types.js';
import type { ProviderClient } from '../providers/openai-compatible.js';
import type { HostLookup, ReachTarget } from '../net/reach.js';

/**
 * The contract between the ping runner and its checks. A check is one function over one
 * provider; the list of checks is data, so new ones are added without touching the runner.
 * (Alert sinks are not providers: `sinks.ts` checks them beside the providers.)
 */

/** The timeouts a provider's checks get: `--timeout` sets all three. */
export interface CheckTimeouts {
  /** A whole request (connect, `GET /models`, a completion). */
  readonly callMs: number;
  /** A stream's wait for its first token. */
  readonly firstTokenMs: number;
  /** A stream's longest gap between chunks. */
  readonly idleMs: number;
}

/** Everything a check may use. One per provider, shared by its checks in order. */
export interface CheckContext {
  readonly provider: ProviderConfig;
  /** The provider adapter, called directly: ping judges each provider alone, never through failover. */
  readonly client: ProviderClient;
  readonly target: ReachTarget;
  readonly keySource: KeySource | undefined;
  readonly timeouts: CheckTimeouts;
  /** Whether a completion check runs after the model check (the model check's verdict depends on it). */
  readonly completionWillRun: boolean;
  /** Name resolution for the reach check (injected in tests). */
  readonly lookup?: HostLookup;
  /** Model ids the provider listed; set by the auth check for the ones after it. */
  listedModels?: string[];
  /** Whether checks may spend tokens (false under `--no-completion`). */
  readonly mayComplete: boolean;
  /** How the auth check checked the key; set by it for the ones after it. */
  keyCheck?: KeyCheck;
}

/**
 * What the key was checked with: `GET /models` (free), or a 1-token completion when the
 * provider's list cannot say (none served, a different shape, or one that needs no key).
 */
export interface KeyCheck {
  readonly via: 'models' | 'completion';
  /** Why the list could not check the key (`GET /models: 404`). */
  readonly why?: string;
}

/** What a check found, before the runner adds its timing. */
export type CheckVerdict =
  | { readonly ok: true; readonly detail: string; readonly warning?: boolean; readonly firstTokenMs?: number; readonly via?: KeyCheck['via'] }
  | { readonly ok: false; readonly detail: string; readonly error: AttemptError };

/** One check of one provider. Throwing is failing: the runner classifies what was thrown. */
export interface ProviderCheck {
  /** Unique within the list: `reach`, `auth`, `model`, `completion`, `stream`. */
  readonly name: string;
  /** A check whose time is the provider's latency (the last such check that passed wins). */
  readonly measuresLatency?: boolean;
  /**
   * Runs the check. `scope` carries the abort signal and has its `call` timer armed already;
   * a check may re-arm it (a stream arms first-token, then idle).
   */
  run(context: CheckContext, scope: AttemptScope): Promise<CheckVerdict>;
}
