import type { ProviderConfig, UnderstudyConfig } from '../config/schema.js';
import type { EngineOptions } from '../engine/engine.js';
import type { Attempt, Engine, EngineEvent } from '../engine/types.js';
import type { Fault, FaultScope } from '../mock/faults.js';
import type { CheckOutcome } from '../report/check-result.js';

/** The short times a drill runs with, so a whole drill takes seconds, not minutes. */
export interface DrillSettings {
  /** The breaker cool-down during the drill (recovery waits this long). */
  readonly cooldownMs: number;
  /** The primary's timeouts (whole call, first token, idle) in the timeout scenarios. */
  readonly timeoutMs: number;
}

/** Builds the engine a scenario drives: `createEngine` normally, a deliberately wrong one in tests. */
export type EngineFactory = (config: UnderstudyConfig, options: EngineOptions) => Engine;

/** How a scenario breaks the primary. Fallbacks are never faulted. */
export type Injection =
  /** A fault-injecting proxy in front of the primary's real base URL plays this fault. */
  | { readonly via: 'proxy'; readonly fault: Fault; readonly scope?: FaultScope; readonly describe: string }
  /** The primary's config is changed in memory (a wrong key, a dead URL). */
  | { readonly via: 'config'; readonly override: (primary: ProviderConfig) => Promise<ProviderConfig>; readonly describe: string };

/** One request the drill sent through the engine, and what came of it. */
export interface RequestRecord {
  /** What the request was for, in progress lines (`request 1`, `after recovery`). */
  readonly label: string;
  readonly stream: boolean;
  /** On the engine's clock (performance.now). */
  readonly startedAt: number;
  readonly endedAt: number;
  /** The provider that answered; undefined when the request failed. */
  readonly answeredBy: string | undefined;
  /** The attempts the engine reports for this request. */
  readonly attempts: readonly Attempt[];
  /** Engine events emitted while this request ran (the drill sends one request at a time). */
  readonly events: readonly EngineEvent[];
  /** The error that surfaced, by class name (`RequestFailed`, `AllProvidersFailed`, ...). */
  readonly errorName?: string;
  readonly errorMessage?: string;
  /** The final answer's text (a stream: what is left after discarding restarted output). */
  readonly text: string;
  /** Tokens the answer used, by the provider's own usage numbers. */
  readonly tokens: number;
  /** A stream: did the answer end with a finish_reason. */
  readonly finished: boolean;
  /** A stream: text received and discarded because of a `restart` event. */
  readonly discarded: string;
  /** A stream: `restart` events the consumer was told of. */
  readonly restarts: number;
  /** Requests the fault proxy in front of the primary received during this request. */
  readonly primaryCalls: number | undefined;
}

/** Everything a scenario observed; its checks are pure functions of this. */
export interface Observations {
  readonly primary: string;
  readonly fallback: string;
  readonly requests: readonly RequestRecord[];
  /** Every engine event of the scenario, in order. */
  readonly events: readonly EngineEvent[];
  /** Named moments on the engine's clock (`faultRemoved`). */
  readonly marks: Readonly<Record<string, number>>;
  /** The config the scenario's engine ran with (drill timings, the scenario's tuning). */
  readonly config: UnderstudyConfig;
  /** The primary's effective settings in the drill config. */
  readonly primarySettings: {
    readonly maxRetries: number;
    readonly failureThreshold: number;
    readonly timeoutMs: number;
    readonly firstTokenTimeoutMs: number;
  };
}

/** What a scenario's `exercise` can do: send requests, mark moments, change the fault, wait. */
export interface ScenarioContext {
  readonly engine: Engine;
  readonly primary: string;
  readonly fallback: string;
  readonly settings: DrillSettings;
  /** The config the scenario's engine runs with. */
  readonly config: UnderstudyConfig;
  /** Sends a tiny completion through the engine and records it (never throws for a failed request). */
  complete(label: string): Promise<RequestRecord>;
  /** Streams a tiny completion through the engine, discarding output on `restart`, and records it. */
  stream(label: string): Promise<RequestRecord>;
  /** Replaces the proxy's fault (proxy scenarios only). */
  setFault(fault: Fault, scope?: FaultScope): Promise<void>;
  /** Heals the primary (proxy scenarios only). */
  clearFault(): Promise<void>;
  /** The engine clock's now (performance.now in a drill). */
  now(): number;
  /** Records the engine clock's now under `name`. */
  mark(name: string): void;
  /** Waits real time (the engine runs on real timers in a drill); rejects when interrupted. */
  wait(ms: number): Promise<void>;
  /** Tells the person watching what is happening. */
  step(text: string): void;
  /** Every engine event so far. */
  readonly events: readonly EngineEvent[];
}

/**
 * One fault scenario: the fault it injects, the requests it sends while the fault is active, and
 * the checks it makes of what it saw. The runner does the rest (engine, proxy, clean-up).
 */
export interface FaultScenario {
  readonly kind?: 'fault';
  readonly name: string;
  /** One line: what breaks and what must happen. */
  readonly summary: string;
  readonly streams?: boolean;
  /** For `--list`: when it runs, if not always. */
  readonly note?: string;
  /** False when the config gives it nothing to prove (no hedging, no slowMs): a full drill leaves it out. */
  appliesTo?(config: UnderstudyConfig): boolean;
  readonly injection: Injection;
  /** Drill settings for this scenario only (e.g. the primary's short timeouts). */
  readonly tune?: (config: UnderstudyConfig, settings: DrillSettings) => UnderstudyConfig;
  /** Sends the scenario's requests (and changes the fault, for recovery). */
  exercise(context: ScenarioContext): Promise<void>;
  /** The verdicts, from events and results only. */
  verify(observations: Observations): CheckOutcome[];
}

/** What a direct scenario can use: the drill's config (the user's providers and timeouts). */
export interface DirectContext {
  readonly config: UnderstudyConfig;
  readonly signal: AbortSignal;
  /** Tells the person watching what is happening. */
  step(text: string): void;
}

/** What a direct scenario found: its checks, who answered each call, calls and tokens per provider. */
export interface DirectOutcome {
  readonly checks: CheckOutcome[];
  readonly answeredBy: (string | null)[];
  readonly requests: Record<string, number>;
  readonly tokens: Record<string, number>;
}

/**
 * A scenario that breaks nothing and needs no failover engine: it calls every provider
 * directly and judges the answers (the team's own tasks). No fault, so nothing to restore.
 */
export interface DirectScenario {
  readonly kind: 'direct';
  readonly name: string;
  readonly summary: string;
  readonly streams?: boolean;
  /** For `--list`: when it runs (`only when drill.tasks is configured`). */
  readonly note?: string;
  /** False when the config gives it nothing to do: a full drill then leaves it out. */
  appliesTo(config: UnderstudyConfig): boolean;
  /** Throws a DrillSetupError when the config cannot run it, before anything is sent. */
  validate(config: UnderstudyConfig): void;
  run(context: DirectContext): Promise<DirectOutcome>;
}

/** Any drill scenario: a fault injected into the primary, or direct calls to every provider. */
export type Scenario = FaultScenario | DirectScenario;

/** One scenario's outcome, as every output format reports it. */
export interface ScenarioResult {
  readonly name: string;
  readonly summary: string;
  readonly ok: boolean;
  /** First request's start to the fallback's answer; null when no fallback answered. */
  readonly failoverMs: number | null;
  /** Fault removed to the primary's first answer again; null where it does not apply. */
  readonly recoveryMs: number | null;
  /** Per request, the provider that answered it (null: it failed). */
  readonly answeredBy: readonly (string | null)[];
  /** Calls to each provider (attempt events). */
  readonly requests: Readonly<Record<string, number>>;
  /** Tokens each provider used for the answers it gave. */
  readonly tokens: Readonly<Record<string, number>>;
  readonly checks: readonly CheckOutcome[];
  readonly ms: number;
}

/** Steady state: did every provider answer a tiny completion directly, before anything was injected. */
export interface SteadyState {
  readonly ok: boolean;
  readonly providers: readonly { readonly name: string; readonly ok: boolean; readonly ms: number; readonly detail?: string }[];
}

/** How one alert sink took the drill's test alert (the alerts module's result, as the drill reports it). */
export interface AlertCheck {
  /** A safe label (`webhook https://hooks.example.com/…`), never the URL's path or token. */
  readonly sink: string;
  readonly ok: boolean;
  readonly ms: number;
  /** Why it failed, masked. */
  readonly error?: string;
}

/** A whole drill's outcome. */
export interface DrillReport {
  readonly ok: boolean;
  readonly steadyState: SteadyState;
  readonly scenarios: readonly ScenarioResult[];
  /** One per configured alert sink when alerts were drilled; empty when not (none configured, `--no-alerts`). */
  readonly alerts: readonly AlertCheck[];
  readonly ms: number;
  /** True when the drill was interrupted (Ctrl-C) before it finished. */
  readonly interrupted: boolean;
}

/** What the runner tells a progress view as it goes. */
export type DrillProgress =
  | { readonly type: 'steady-state'; readonly result: SteadyState }
  | { readonly type: 'scenario-start'; readonly scenario: Scenario; readonly index: number; readonly total: number }
  | { readonly type: 'step'; readonly scenario: string; readonly text: string }
  | { readonly type: 'request'; readonly scenario: string; readonly record: RequestRecord }
  | { readonly type: 'engine'; readonly scenario: string; readonly event: EngineEvent }
  | { readonly type: 'scenario-end'; readonly result: ScenarioResult }
  | { readonly type: 'alerts-start'; readonly sinks: number }
  | { readonly type: 'alerts-end'; readonly results: readonly AlertCheck[] };
