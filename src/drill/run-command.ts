import { describeWarnings, setUpProviders, type ProviderSetup } from '../setup/providers.js';
import { ExitCode, UsageError } from '../terminal/exit-codes.js';
import { isInteractive } from '../terminal/colour.js';
import { handleInterrupts } from '../terminal/interrupt.js';
import { appendStepOutputs, appendStepSummary, githubAnnotations, isGitHubActions } from '../report/github.js';
import { printJson } from '../report/json.js';
import { writeJUnit } from '../report/junit.js';
import { log, out } from '../report/output.js';
import { paint } from '../report/style.js';
import { renderTable } from '../report/table.js';
import { configDirectory } from '../setup/alerts.js';
import { startTelemetry, type CommandTelemetry } from '../setup/telemetry.js';
import { createEngine } from '../engine/engine.js';
import { progressLines } from './progress-lines.js';
import {
  ALERT_HEADERS,
  alertRows,
  drillAnnotations,
  drillCost,
  drillGroups,
  drillJson,
  drillMarkdown,
  drillOutputs,
  drillRows,
  drillSummary,
  TABLE_HEADERS,
} from './report.js';
import { appendHistory } from '../history/file.js';
import { historyRecord } from '../history/record.js';
import { checkRequired, judgeDrill, type DrillVerdict } from './required.js';
import { DrillSetupError, runDrill } from './runner.js';
import { planScenarios, SCENARIOS, selectScenarios } from './scenarios/index.js';
import type { AlertCheck, DrillProgress, DrillReport, EngineFactory } from './types.js';
import type { LiveDrill } from '../ui/drill/render-drill.js';
import { wholeNumberOption } from '../terminal/options.js';

/** `understudy drill`'s options, as commander parsed them (numbers still text). */
export interface DrillCommandOptions {
  config?: string;
  json?: boolean;
  offline?: boolean;
  scenario?: string[];
  /** `--require NAME`: only these scenarios (with steady state and alerts) decide the exit code. */
  require?: string[];
  list?: boolean;
  cooldownMs?: string;
  timeoutMs?: string;
  junit?: string;
  /** `--history FILE.jsonl`: append this run's verdicts and timings (see `understudy report`). */
  history?: string;
  github?: boolean;
  /** False with `--no-alerts`: the configured alert sinks get no drill alert. */
  alerts?: boolean;
  /** `--otel`: export the scenarios' engine traces and metrics. */
  otel?: boolean;
}

/** What the command reads from its surroundings; tests pass their own. */
export interface DrillCommandEnvironment {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly engineFactory?: EngineFactory;
  /** A live view for interactive terminals; plain lines on stderr otherwise. */
  readonly progress?: (progress: DrillProgress) => void;
  /** Aborts the drill as Ctrl-C would (tests); the CLI uses SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
}

const MAX_MS = 600_000;

/**
 * The drill as a command: pick scenarios, load the config (or start the offline providers), run
 * the drill and then one drill alert per configured sink, print the table or `--json`, write
 * `--junit` and GitHub output, return the exit code.
 */
export async function drillCommand(options: DrillCommandOptions, environment: DrillCommandEnvironment = {}): Promise<number> {
  const env = environment.env ?? process.env;
  if (options.list) return listScenarios(options.json === true);

  const { scenarios, unknown } = selectScenarios(options.scenario ?? []);
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown scenario${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')} (known: ${SCENARIOS.map((s) => s.name).join(', ')})`,
      'understudy drill --list',
    );
  }
  const settings = {
    ...(options.cooldownMs !== undefined ? { cooldownMs: wholeNumberOption(options.cooldownMs, '--cooldown-ms', { min: 1, max: MAX_MS, unit: 'milliseconds' }) } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: wholeNumberOption(options.timeoutMs, '--timeout-ms', { min: 1, max: MAX_MS, unit: 'milliseconds' }) } : {}),
  };

  const interrupt = environment.signal ? undefined : handleInterrupts({ onInterrupt: () => log('interrupted: cleaning up (Ctrl-C again to quit at once)') });
  const signal = environment.signal ?? interrupt!.signal;
  let setup: ProviderSetup | undefined;
  let telemetry: CommandTelemetry | undefined;
  let report: DrillReport;
  let live: LiveDrill | undefined;
  try {
    // With --offline and an explicit --config, that file's engine settings are drilled against the mocks.
    setup = await setUpProviders({
      configPath: options.config,
      offline: options.offline,
      offlineKeepsConfigSettings: true,
      ...(environment.cwd ? { cwd: environment.cwd } : {}),
      env,
    });
    const config = setup.config;
    telemetry = await startTelemetry({ flag: options.otel, env, log });
    const instrumented = telemetry;
    const makeEngine = environment.engineFactory ?? createEngine;
    // Every scenario's engine, so a drill's failovers show in the same backend as production's.
    const engineFactory: EngineFactory = (drilled, engineOptions) => {
      const engine = makeEngine(drilled, engineOptions);
      instrumented.instrument(engine);
      return engine;
    };
    if (setup.offline) log(setup.label);
    for (const line of describeWarnings(setup.warnings)) log(line);
    const planned = planScenarios(scenarios, config, (options.scenario ?? []).length > 0);
    if (options.require) checkRequired(options.require, planned.map((scenario) => scenario.name));
    const testAlerts = alertDrill(setup, options);
    if (!options.json) for (const note of planNotes(planned.length < scenarios.length, testAlerts !== undefined, setup, options)) log(paint('dim', note));
    // The live view draws on stderr, so stderr must be a terminal too (not `2>drill.log`).
    if (!environment.progress && !options.json && isInteractive(env) && process.stderr.isTTY) live = await startLiveView(planned.map((s) => s.name));
    report = await runDrill({
      config,
      scenarios: planned,
      settings,
      signal,
      onProgress: environment.progress ?? live?.onProgress ?? (options.json ? () => {} : progressLines(log)),
      engineFactory,
      ...(testAlerts ? { testAlerts } : {}),
    }).catch((error: unknown) => {
      throw error instanceof DrillSetupError ? new UsageError(error.message, error.hint) : error;
    });
  } finally {
    live?.stop();
    await telemetry?.shutdown();
    interrupt?.dispose();
    await setup?.close();
  }

  const verdict = judgeDrill(report, options.require);
  writeResults(report, verdict, options, env);
  if (report.interrupted) {
    if (options.history) log(`interrupted: this run was not added to ${options.history}`);
    return ExitCode.interrupted;
  }
  if (options.history) await recordHistory(options.history, report, verdict, setup!);
  return verdict.ok ? ExitCode.ok : ExitCode.problem;
}

/**
 * The configured sinks' drill: one test alert each, after the scenarios. None without sinks, with
 * `--no-alerts`, or with `--offline` (which promises nothing leaves 127.0.0.1's mock providers).
 */
function alertDrill(setup: ProviderSetup, options: DrillCommandOptions): (() => Promise<readonly AlertCheck[]>) | undefined {
  const sinks = setup.config.alerts;
  if (sinks.length === 0 || options.alerts === false || setup.offline) return undefined;
  return async () => {
    // Lazy, like every command's alerting: a config without sinks never loads the alerts module.
    const { sendTestAlerts } = await import('../alerts/drill-alert.js');
    return sendTestAlerts(sinks, { cwd: configDirectory(setup) });
  };
}

/** Dim stderr lines saying what this drill leaves out and why, so a missing check is never a surprise. */
function planNotes(tasksLeftOut: boolean, alertsDrilled: boolean, setup: ProviderSetup, options: DrillCommandOptions): string[] {
  const notes: string[] = [];
  if (tasksLeftOut) notes.push('no drill.tasks configured: the tasks scenario is left out');
  if (!alertsDrilled) {
    if (setup.config.alerts.length === 0) notes.push('no alert sinks configured: alerts not drilled');
    else if (options.alerts === false) notes.push('--no-alerts: the alert sinks were not drilled');
    else if (setup.offline) notes.push('--offline: the alert sinks were not drilled (nothing leaves 127.0.0.1)');
  }
  return notes;
}

/** stdout: the JSON document, or the table and the summary; files and CI output after. */
function writeResults(report: DrillReport, verdict: DrillVerdict, options: DrillCommandOptions, env: NodeJS.ProcessEnv): void {
  const { tolerated } = verdict;
  if (options.json) {
    printJson({ ...drillJson(report), ok: verdict.ok, ...(verdict.required ? { required: verdict.required, tolerated } : {}) });
  } else {
    const maxWidth = process.stdout.columns || undefined;
    if (report.scenarios.length > 0) {
      out('');
      out(renderTable(TABLE_HEADERS, drillRows(report), { maxWidth, flexible: [2, 5] }));
    }
    const cost = drillCost(report);
    if (cost) out(cost);
    if (report.alerts.length > 0) {
      out('');
      out(renderTable(ALERT_HEADERS, alertRows(report), { maxWidth, flexible: [2] }));
    }
    out('');
    out(drillSummary(report, tolerated));
  }
  if (options.junit) {
    writeJUnit(options.junit, 'understudy drill', drillGroups(report), { timestamp: new Date() });
    log(`JUnit report written to ${options.junit}`);
  }
  if (options.github || isGitHubActions(env)) {
    // stderr, so a --json stdout stays one document; the runner reads workflow commands from both.
    process.stderr.write(githubAnnotations(drillAnnotations(report, tolerated)));
    appendStepSummary(drillMarkdown(report, tolerated), env);
    appendStepOutputs(drillOutputs(report, verdict.ok, tolerated), env);
  }
}

/** Appends the run to `--history` (an interrupted run is left out: its missing scenarios would read as a trend). */
async function recordHistory(file: string, report: DrillReport, verdict: DrillVerdict, setup: ProviderSetup): Promise<void> {
  const record = historyRecord(report, {
    at: new Date(),
    ok: verdict.ok,
    offline: setup.offline,
    providers: setup.config.providers.map((provider) => provider.name),
    required: verdict.required,
  });
  try {
    await appendHistory(file, record);
  } catch (error) {
    throw new UsageError(`cannot append to the history file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  log(`drill history: this run appended to ${file} (understudy report ${file})`);
}

/** `--list`: one line per scenario (a JSON array with --json), with when it runs if not always. */
function listScenarios(json: boolean): number {
  const noteOf = (scenario: (typeof SCENARIOS)[number]) => scenario.note;
  if (json) {
    printJson(
      SCENARIOS.map((scenario) => {
        const note = noteOf(scenario);
        return { name: scenario.name, summary: scenario.summary, streams: scenario.streams === true, ...(note ? { note } : {}) };
      }),
    );
  } else {
    const width = Math.max(...SCENARIOS.map((scenario) => scenario.name.length));
    for (const scenario of SCENARIOS) {
      const note = noteOf(scenario);
      out(`${scenario.name.padEnd(width)}  ${scenario.summary}${note ? ` (${note})` : ''}`);
    }
  }
  return ExitCode.ok;
}

/** The Ink live view, loaded only for an interactive terminal (Ink costs half a second to import). */
async function startLiveView(names: readonly string[]) {
  const { renderLiveDrill } = await import('../ui/drill/render-drill.js');
  return renderLiveDrill(names);
}
