import type { KeySources } from '../config/key-sources.js';
import type { AlertSinkConfig, ProviderConfig, UnderstudyConfig } from '../config/schema.js';
import { configWarnings, type ConfigWarning } from '../config/warnings.js';
import { systemClock, type Clock } from '../engine/clock.js';
import { createProviderClient } from '../providers/openai-compatible.js';
import type { CheckContext, CheckTimeouts, ProviderCheck } from './check-context.js';
import { providerChecks } from './checks.js';
import type { HostLookup } from '../net/reach.js';
import { connectionFor } from '../net/connection.js';
import { targetOf } from '../net/reach.js';
import { runCheck } from './run-check.js';
import { selectProviders } from './select.js';
import { checkSinks } from './sinks.js';
import type { CheckResult, PingReport, ProviderError, ProviderReport, SinkReport } from './types.js';

/** What to check and how. Every field is optional. */
export interface PingOptions {
  /** Ping only these providers (by name); all when empty. Unknown names throw UnknownProviderError. */
  readonly providers?: readonly string[];
  /** One timeout for every check of every provider and sink; default: each one's configured timeouts. */
  readonly timeoutMs?: number;
  /** Run the 1-token completion (default true; false spends nothing). */
  readonly completion?: boolean;
  /** Also run a streamed 1-token completion and time its first token (default false). */
  readonly stream?: boolean;
  /** The ping passes when at least this many providers are healthy (default: all pinged). */
  readonly require?: number;
  /** The checks to run on each provider, replacing the defaults. */
  readonly checks?: readonly ProviderCheck[];
  /** The alert sinks to check (without sending); default: the config's. `[]` checks none. */
  readonly alerts?: readonly AlertSinkConfig[];
  /** Where command sinks' relative programs are found: the config file's directory (default: cwd). */
  readonly cwd?: string;
  /** The config's warnings; default: `configWarnings(config)`. */
  readonly warnings?: readonly ConfigWarning[];
  /** Any warning fails the ping (`--strict`, for CI). Without it warnings are reported only. */
  readonly strict?: boolean;
  /** Aborting it (Ctrl-C) stops every check; the rest are reported as skipped. */
  readonly signal?: AbortSignal;
  /** Told as each provider finishes, for progress output. */
  readonly onProvider?: (report: ProviderReport) => void;
  /** Told as each alert sink's check finishes. */
  readonly onSink?: (report: SinkReport) => void;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  readonly lookup?: HostLookup;
}

/**
 * Checks every selected provider, all in parallel, each on its own and directly through its
 * adapter — never through failover, so one provider's health never hides behind another's.
 * The alert sinks are checked alongside, and the config's warnings carried into the report.
 * Pure of output: the report is rendered by `render.ts`.
 */
export async function pingProviders(config: UnderstudyConfig, keySources: KeySources, options: PingOptions = {}): Promise<PingReport> {
  const providers = selectProviders(config, options.providers);
  const completion = options.completion ?? true;
  const checks = options.checks ?? providerChecks({ completion, stream: options.stream ?? false });
  const [reports, alerts] = await Promise.all([
    Promise.all(
      providers.map(async (provider) => {
        const report = await pingProvider(provider, checks, config, keySources, options, completion);
        options.onProvider?.(report);
        return report;
      }),
    ),
    pingSinks(options.alerts ?? config.alerts, options),
  ]);
  const healthy = reports.filter((report) => report.ok).length;
  const required = options.require ?? reports.length;
  const warnings = options.warnings ?? configWarnings(config);
  const strict = options.strict ?? false;
  // `require` relaxes the providers only: a list is built to outlive a dead member, but an
  // alert sink has no fallback, and one that cannot be reached fails silently when it matters.
  const ok = healthy >= required && alerts.every((sink) => sink.ok) && !(strict && warnings.length > 0);
  return {
    ok,
    required,
    healthy,
    providers: reports,
    alerts,
    warnings,
    strict,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
}

function pingSinks(sinks: readonly AlertSinkConfig[], options: PingOptions): Promise<SinkReport[]> {
  return checkSinks(sinks, {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    cwd: options.cwd ?? process.cwd(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.onSink ? { onSink: options.onSink } : {}),
  });
}

async function pingProvider(
  provider: ProviderConfig,
  checks: readonly ProviderCheck[],
  config: UnderstudyConfig,
  keySources: KeySources,
  options: PingOptions,
  completion: boolean,
): Promise<ProviderReport> {
  const clock = options.clock ?? systemClock;
  const context: CheckContext = {
    provider,
    client: createProviderClient(provider, options.fetch ? { fetch: options.fetch } : {}),
    // Reached as its requests are: through the same proxy, trusting the same CA.
    target: { ...targetOf(provider.baseURL ?? ''), ...connectionFor({ name: provider.name, baseURL: provider.baseURL ?? '', ca: provider.ca }) },
    keySource: keySources[provider.name],
    timeouts: timeoutsFor(provider, config, options.timeoutMs),
    completionWillRun: completion && checks.some((check) => check.name === 'completion'),
    mayComplete: completion,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  };
  const deps = { clock, signal: options.signal, classify: config.classify };
  const startedAt = clock.now();
  const results: CheckResult[] = [];
  let blocker: string | undefined;
  for (const check of checks) {
    if (blocker === undefined && options.signal?.aborted) blocker = 'interrupted';
    if (blocker !== undefined) {
      results.push({ name: check.name, ok: false, skipped: true, detail: `skipped: ${blocker}` });
      continue;
    }
    const result = await runCheck(check, context, deps);
    results.push(result);
    if (!result.ok) blocker = `${check.name} failed`;
  }
  return summarize(provider, checks, results, clock.now() - startedAt, provider.slowMs ?? config.slowMs);
}

function summarize(provider: ProviderConfig, checks: readonly ProviderCheck[], results: CheckResult[], totalMs: number, slowMs: number | undefined): ProviderReport {
  const failure = results.find((result) => result.failure)?.failure;
  const error: ProviderError | null = failure
    ? { class: failure.class, status: failure.status ?? null, message: failure.message, hint: failure.hint }
    : null;
  const timed = results.filter((result, index) => result.ok && checks[index]?.measuresLatency && result.ms !== undefined);
  const latencyMs = timed.length > 0 ? Math.round(timed[timed.length - 1]!.ms!) : null;
  return {
    name: provider.name,
    model: provider.model,
    ok: results.every((result) => result.ok),
    latencyMs,
    ...(latencyMs !== null && slowMs !== undefined && latencyMs > slowMs ? { degraded: { latencyMs, slowMs } } : {}),
    totalMs: Math.round(totalMs),
    checks: results.map(roundTimes),
    error,
  };
}

/** `--timeout` replaces every timeout; otherwise the provider's own, then the config's. */
function timeoutsFor(provider: ProviderConfig, config: UnderstudyConfig, override: number | undefined): CheckTimeouts {
  if (override !== undefined) return { callMs: override, firstTokenMs: override, idleMs: override };
  return {
    callMs: provider.timeoutMs ?? config.timeoutMs,
    firstTokenMs: provider.firstTokenTimeoutMs ?? config.firstTokenTimeoutMs,
    idleMs: provider.idleTimeoutMs ?? config.idleTimeoutMs,
  };
}

/** Whole milliseconds: nobody reads the fractions, and JSON stays tidy. */
function roundTimes(result: CheckResult): CheckResult {
  return {
    ...result,
    ...(result.ms !== undefined ? { ms: Math.round(result.ms) } : {}),
    ...(result.firstTokenMs !== undefined ? { firstTokenMs: Math.round(result.firstTokenMs) } : {}),
  };
}
