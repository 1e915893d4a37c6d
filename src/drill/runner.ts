import { setTimeout as sleep } from 'node:timers/promises';
import type { UnderstudyConfig } from '../config/schema.js';
import { createEngine } from '../engine/engine.js';
import type { EngineEvent } from '../engine/types.js';
import { startFaultProxy, type FaultProxy } from '../mock/proxy.js';
import type { Fault, FaultScope } from '../mock/faults.js';
import { DEFAULT_DRILL_SETTINGS, drillConfig, primarySettingsOf, withPrimary } from './drill-config.js';
import { measure } from './measure.js';
import { RequestSender } from './requests.js';
import { DrillSetupError } from './setup-error.js';
import { checkSteadyState } from './steady-state.js';
import type {
  AlertCheck,
  DirectScenario,
  DrillProgress,
  DrillReport,
  DrillSettings,
  EngineFactory,
  FaultScenario,
  Observations,
  RequestRecord,
  Scenario,
  ScenarioContext,
  ScenarioResult,
} from './types.js';

/** What a drill runs against and how. */
export interface RunDrillOptions {
  /** The user's config, normalized; the first provider is the one the drill breaks. */
  readonly config: UnderstudyConfig;
  readonly scenarios: readonly Scenario[];
  /** Builds each scenario's engine; tests pass a deliberately wrong one to prove the drill can fail. */
  readonly engineFactory?: EngineFactory;
  readonly settings?: Partial<DrillSettings>;
  readonly onProgress?: (progress: DrillProgress) => void;
  /** Aborting it stops the drill: the current scenario is cleaned up and the report says interrupted. */
  readonly signal?: AbortSignal;
  /**
   * Sends one test alert to each configured sink (the CLI passes the alerts module's
   * `sendTestAlerts`); left out, alerts are not drilled. Never attached to a scenario's engine:
   * every scenario would page.
   */
  readonly testAlerts?: () => Promise<readonly AlertCheck[]>;
}

export { DrillSetupError };

/**
 * Runs a drill the way a chaos experiment runs: steady state first (every provider answers; if
 * not, stop and inject nothing), then each scenario on a fresh engine — inject the fault, send
 * requests through the engine, verify from its events and results, restore (a direct scenario
 * calls each provider itself instead). Last, one test alert per configured sink. Every proxy is
 * closed and every fault cleared whatever happens.
 */
export async function runDrill(options: RunDrillOptions): Promise<DrillReport> {
  const { config, scenarios } = options;
  if (config.providers.length < 2) {
    throw new DrillSetupError(
      `a drill needs a fallback: the config has only one provider (${config.providers[0]?.name ?? 'none'}); add a second provider to fail over to`,
      'add a second provider to the config (or try: understudy drill --offline)',
    );
  }
  // Before anything is sent: a config mistake (an invalid regular expression) is exit 2, not a failed drill.
  for (const scenario of scenarios) if (scenario.kind === 'direct') scenario.validate(config);
  const settings: DrillSettings = { ...DEFAULT_DRILL_SETTINGS, ...options.settings };
  const base = drillConfig(config, settings);
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onProgress ?? (() => {});
  const startedAt = performance.now();
  let alerts: readonly AlertCheck[] = [];
  const finish = (steadyState: DrillReport['steadyState'], results: ScenarioResult[], interrupted: boolean): DrillReport => ({
    ok:
      !interrupted &&
      steadyState.ok &&
      results.length === scenarios.length &&
      results.every((result) => result.ok) &&
      alerts.every((alert) => alert.ok),
    steadyState,
    scenarios: results,
    alerts,
    ms: Math.round(performance.now() - startedAt),
    interrupted,
  });
  // Last, and also after a failed steady state: the alert path does not depend on the providers,
  // and a drill that stops early should still say whether the page would have reached anyone.
  const drillAlerts = async (): Promise<boolean> => {
    if (!options.testAlerts) return true;
    emit({ type: 'alerts-start', sinks: config.alerts.length });
    const sent = await untilAborted(options.testAlerts(), signal);
    if (sent === undefined) return false;
    alerts = sent;
    emit({ type: 'alerts-end', results: alerts });
    return true;
  };

  const steadyState = await checkSteadyState(base, signal);
  if (signal.aborted) return finish(steadyState, [], true);
  emit({ type: 'steady-state', result: steadyState });
  if (!steadyState.ok) return finish(steadyState, [], !(await drillAlerts()));

  const results: ScenarioResult[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    emit({ type: 'scenario-start', scenario, index, total: scenarios.length });
    try {
      const result =
        scenario.kind === 'direct'
          ? await runDirectScenario(scenario, base, emit, signal)
          : scenario.appliesTo?.(base) === false
            ? notApplicable(scenario)
            : await runScenario(scenario, base, settings, options.engineFactory ?? createEngine, emit, signal);
      results.push(result);
      emit({ type: 'scenario-end', result });
    } catch (error) {
      if (signal.aborted) return finish(steadyState, results, true);
      throw error;
    }
  }
  return finish(steadyState, results, !(await drillAlerts()));
}

/** The promise's value, or undefined as soon as the drill is interrupted (a slow sink is not waited out). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A fault scenario asked for by name that has nothing to prove with this config: skipped, saying why. */
function notApplicable(scenario: FaultScenario): ScenarioResult {
  return {
    name: scenario.name,
    summary: scenario.summary,
    ok: true,
    failoverMs: null,
    recoveryMs: null,
    answeredBy: [],
    requests: {},
    tokens: {},
    checks: [{ name: 'applies to this config', ok: true, skipped: true, detail: `skipped: ${scenario.note ?? 'not applicable'}` }],
    ms: 0,
  };
}

/** A scenario that calls every provider directly: no engine, no fault, nothing to restore. */
async function runDirectScenario(
  scenario: DirectScenario,
  config: UnderstudyConfig,
  emit: (progress: DrillProgress) => void,
  signal: AbortSignal,
): Promise<ScenarioResult> {
  const startedAt = performance.now();
  const outcome = await scenario.run({ config, signal, step: (text) => emit({ type: 'step', scenario: scenario.name, text }) });
  if (signal.aborted) throw signal.reason ?? new Error('interrupted');
  return {
    name: scenario.name,
    summary: scenario.summary,
    ok: outcome.checks.every((check) => check.ok || check.warning === true || check.skipped === true),
    failoverMs: null,
    recoveryMs: null,
    answeredBy: outcome.answeredBy,
    requests: outcome.requests,
    tokens: outcome.tokens,
    checks: outcome.checks,
    ms: Math.round(performance.now() - startedAt),
  };
}

/** One scenario on its own engine (so no breaker carries over from the previous one). */
async function runScenario(
  scenario: FaultScenario,
  base: UnderstudyConfig,
  settings: DrillSettings,
  engineFactory: EngineFactory,
  emit: (progress: DrillProgress) => void,
  signal: AbortSignal,
): Promise<ScenarioResult> {
  const startedAt = performance.now();
  const tuned = scenario.tune ? scenario.tune(base, settings) : base;
  const providers = tuned.providers.map((provider) => provider.name);
  const [primary = '', fallback = ''] = providers;
  const events: EngineEvent[] = [];
  const requests: RequestRecord[] = [];
  const marks: Record<string, number> = {};
  const step = (text: string) => emit({ type: 'step', scenario: scenario.name, text });
  let proxy: FaultProxy | undefined;
  let crash: unknown;

  try {
    let config = tuned;
    const injection = scenario.injection;
    if (injection.via === 'proxy') {
      proxy = await startFaultProxy({ target: tuned.providers[0]!.baseURL! });
      const proxyURL = proxy.baseURL;
      config = withPrimary(tuned, (provider) => ({ ...provider, baseURL: proxyURL, preset: undefined }));
      await proxy.setFault(injection.fault, onCompletions(injection.scope));
    } else {
      const overridden = await injection.override(tuned.providers[0]!);
      config = withPrimary(tuned, () => overridden);
    }
    step(`inject: ${injection.describe}`);

    const engine = engineFactory(config, {
      onEvent: (event) => {
        events.push(event);
        emit({ type: 'engine', scenario: scenario.name, event });
      },
    });
    const faulted = proxy;
    const sender = new RequestSender({
      engine,
      events,
      primaryCalls: () => faulted?.counters.requests,
      signal,
      now: () => performance.now(),
    });
    const record = async (sent: Promise<RequestRecord>) => {
      const done = await sent;
      requests.push(done);
      emit({ type: 'request', scenario: scenario.name, record: done });
      return done;
    };
    const context: ScenarioContext = {
      engine,
      primary,
      fallback,
      settings,
      config,
      events,
      complete: (label) => record(sender.complete(label)),
      stream: (label) => record(sender.stream(label)),
      setFault: async (fault: Fault, scope?: FaultScope) => {
        if (!faulted) throw new Error(`${scenario.name}: setFault needs a proxy scenario`);
        await faulted.setFault(fault, onCompletions(scope));
      },
      clearFault: async () => {
        await faulted?.clearFault();
      },
      now: () => performance.now(),
      mark: (name) => {
        marks[name] = performance.now();
      },
      wait: (ms) => sleep(ms, undefined, { signal }),
      step,
    };
    try {
      await scenario.exercise(context);
    } finally {
      engine.close();
    }
  } catch (error) {
    if (signal.aborted) throw error;
    crash = error;
  } finally {
    // Never leave a fault active: heal, then close (which also cuts any hung connection).
    if (proxy) {
      await proxy.clearFault().catch(() => undefined);
      await proxy.close();
      step('restore: fault cleared, proxy closed');
    } else if (scenario.injection.via === 'config') {
      step("restore: the primary's real config is back (the override lived only in this scenario's engine)");
    }
  }

  const observations: Observations = { primary, fallback, requests, events, marks, config: tuned, primarySettings: primarySettingsOf(tuned) };
  const checks = scenario.verify(observations);
  if (crash !== undefined) {
    checks.unshift({ name: 'the scenario ran to the end', ok: false, detail: crash instanceof Error ? crash.message : String(crash) });
  }
  const measured = measure(observations, providers);
  return {
    name: scenario.name,
    summary: scenario.summary,
    ok: checks.every((check) => check.ok || check.warning === true || check.skipped === true),
    ...measured,
    checks,
    ms: Math.round(performance.now() - startedAt),
  };
}

/** Drill faults hit chat completions only, so a `/models` call never spends a counted fault. */
function onCompletions(scope: FaultScope = {}): FaultScope {
  return { paths: 'completions', ...scope };
}
