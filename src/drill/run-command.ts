import { describeWarnings, setUpProviders, type ProviderSetup } from '../setup/providers.js';
import { ExitCode, UsageError } from '../terminal/exit-codes.js';
import { isInteractive } from '../terminal/colour.js';
import { handleInterrupts } from '../terminal/interrupt.js';
import { appendStepSummary, githubAnnotations, isGitHubActions } from '../report/github.js';
import { printJson } from '../report/json.js';
import { writeJUnit } from '../report/junit.js';
import { log, out } from '../report/output.js';
import { renderTable } from '../report/table.js';
import { progressLines } from './progress-lines.js';
import { drillAnnotations, drillGroups, drillJson, drillMarkdown, drillRows, drillSummary, TABLE_HEADERS } from './report.js';
import { DrillSetupError, runDrill } from './runner.js';
import { SCENARIOS, selectScenarios } from './scenarios/index.js';
import type { DrillProgress, DrillReport, EngineFactory } from './types.js';
import type { LiveDrill } from '../ui/drill/render-drill.js';

/** `understudy drill`'s options, as commander parsed them (numbers still text). */
export interface DrillCommandOptions {
  config?: string;
  json?: boolean;
  offline?: boolean;
  scenario?: string[];
  list?: boolean;
  cooldownMs?: string;
  timeoutMs?: string;
  junit?: string;
  github?: boolean;
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
 * the drill, print the table or `--json`, write `--junit` and GitHub output, return the exit code.
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
    ...(options.cooldownMs !== undefined ? { cooldownMs: positiveMs(options.cooldownMs, '--cooldown-ms') } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: positiveMs(options.timeoutMs, '--timeout-ms') } : {}),
  };

  const interrupt = environment.signal ? undefined : handleInterrupts({ onInterrupt: () => log('interrupted: cleaning up (Ctrl-C again to quit at once)') });
  const signal = environment.signal ?? interrupt!.signal;
  let setup: ProviderSetup | undefined;
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
    if (setup.offline) log(setup.label);
    for (const line of describeWarnings(setup.warnings)) log(line);
    // The live view draws on stderr, so stderr must be a terminal too (not `2>drill.log`).
    if (!environment.progress && !options.json && isInteractive(env) && process.stderr.isTTY) live = await startLiveView(scenarios.map((s) => s.name));
    report = await runDrill({
      config,
      scenarios,
      settings,
      signal,
      onProgress: environment.progress ?? live?.onProgress ?? (options.json ? () => {} : progressLines(log)),
      ...(environment.engineFactory ? { engineFactory: environment.engineFactory } : {}),
    }).catch((error: unknown) => {
      throw error instanceof DrillSetupError ? new UsageError(error.message, 'add a second provider to the config (or try: understudy drill --offline)') : error;
    });
  } finally {
    live?.stop();
    interrupt?.dispose();
    await setup?.close();
  }

  writeResults(report, options, env);
  if (report.interrupted) return ExitCode.interrupted;
  return report.ok ? ExitCode.ok : ExitCode.problem;
}

/** stdout: the JSON document, or the table and the summary; files and CI output after. */
function writeResults(report: DrillReport, options: DrillCommandOptions, env: NodeJS.ProcessEnv): void {
  if (options.json) printJson(drillJson(report));
  else {
    if (report.scenarios.length > 0) {
      out('');
      out(renderTable(TABLE_HEADERS, drillRows(report), { maxWidth: process.stdout.columns || undefined, flexible: [2, 5] }));
    }
    out('');
    out(drillSummary(report));
  }
  if (options.junit) {
    writeJUnit(options.junit, 'understudy drill', drillGroups(report), { timestamp: new Date() });
    log(`JUnit report written to ${options.junit}`);
  }
  if (options.github || isGitHubActions(env)) {
    // stderr, so a --json stdout stays one document; the runner reads workflow commands from both.
    process.stderr.write(githubAnnotations(drillAnnotations(report)));
    appendStepSummary(drillMarkdown(report), env);
  }
}

/** `--list`: one line per scenario (a JSON array with --json). */
function listScenarios(json: boolean): number {
  if (json) printJson(SCENARIOS.map((scenario) => ({ name: scenario.name, summary: scenario.summary, streams: scenario.streams === true })));
  else {
    const width = Math.max(...SCENARIOS.map((scenario) => scenario.name.length));
    for (const scenario of SCENARIOS) out(`${scenario.name.padEnd(width)}  ${scenario.summary}`);
  }
  return ExitCode.ok;
}

/** The Ink live view, loaded only for an interactive terminal (Ink costs half a second to import). */
async function startLiveView(names: readonly string[]) {
  const { renderLiveDrill } = await import('../ui/drill/render-drill.js');
  return renderLiveDrill(names);
}

/** A positive whole number of milliseconds from an option, or a usage error naming the option. */
function positiveMs(text: string, option: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(value) || value < 1 || value > MAX_MS) {
    throw new UsageError(`${option} must be a whole number of milliseconds from 1 to ${MAX_MS}, not ${JSON.stringify(text)}`);
  }
  return value;
}
