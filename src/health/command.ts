import type { UnderstudyConfig } from '../config/schema.js';
import { ExitCode, UsageError } from '../terminal/exit-codes.js';
import { handleInterrupts } from '../terminal/interrupt.js';
import { appendStepSummary, isGitHubActions } from '../report/github.js';
import { printJson } from '../report/json.js';
import { writeJUnit } from '../report/junit.js';
import { log, out } from '../report/output.js';
import { paint } from '../report/style.js';
import { formatMs } from '../report/view-model.js';
import { configDirectory } from '../setup/alerts.js';
import { describeWarnings, setUpProviders } from '../setup/providers.js';
import { pingProviders } from './ping.js';
import { pingAnnotations, pingJson, pingMarkdown, renderPingTable, SUITE_NAME, toCheckGroups } from './render.js';
import { selectProviders, UnknownProviderError } from './select.js';
import type { PingReport, ProviderReport, SinkReport } from './types.js';
import { wholeNumberOption } from '../terminal/options.js';

/**
 * `understudy ping` behind the command's option parsing: loads the config, pings, prints the
 * chosen formats and returns the exit code. Lazily imported by `commands/ping.ts`, so the SDK
 * and the rest load only when ping actually runs.
 */

/** The command's options as commander hands them over (strings unparsed). */
export interface PingCommandOptions {
  config?: string;
  json?: boolean;
  provider: string[];
  require?: string;
  timeout?: string;
  completion: boolean;
  stream?: boolean;
  junit?: string;
  github?: boolean;
  offline?: boolean;
  /** `--strict`: config warnings fail the ping. */
  strict?: boolean;
  /** False for `--no-alerts`: the alert sinks are not checked. */
  alerts?: boolean;
}

/**
 * Runs the ping and prints it; resolves to the exit code: 0 enough providers healthy, every
 * alert sink reachable and (under `--strict`) no config warning; 1 otherwise; 130 interrupted.
 */
export async function runPing(options: PingCommandOptions): Promise<number> {
  const timeoutMs = options.timeout === undefined ? undefined : wholeNumberOption(options.timeout, '--timeout', { min: 1, max: 3_600_000 });
  const require = options.require === undefined ? undefined : wholeNumberOption(options.require, '--require', { min: 1, max: 10_000 });
  const source = await setUpProviders({ configPath: options.config, offline: options.offline });
  // Said first, as drill and watch do: a green ping of the demo must not pass for the real providers.
  if (source.offline) log(source.label);
  for (const line of describeWarnings(source.warnings)) log(line);
  const interrupt = handleInterrupts();
  try {
    const selected = select(source.config, options.provider);
    if (require !== undefined && require > selected) {
      throw new UsageError(
        `--require ${require} asks for more healthy providers than are pinged (${selected})`,
        `use --require ${selected} or less`,
      );
    }
    const sinks = options.alerts === false ? [] : source.config.alerts;
    const also = sinks.length > 0 ? ` and ${sinks.length} alert sink${sinks.length === 1 ? '' : 's'}` : '';
    log(`pinging ${selected} provider${selected === 1 ? '' : 's'}${also}${timeoutMs !== undefined ? ` (timeout ${formatMs(timeoutMs)})` : ''}…`);
    const report = await pingProviders(source.config, source.keySources, {
      providers: options.provider,
      completion: options.completion,
      stream: options.stream ?? false,
      alerts: sinks,
      cwd: configDirectory(source),
      // The warnings printed at load, not recomputed: the offline demo has none by design.
      warnings: source.warnings,
      strict: options.strict ?? false,
      signal: interrupt.signal,
      onProvider: (provider) => log(progressLine(provider)),
      onSink: (sink) => log(sinkProgressLine(sink)),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(require !== undefined ? { require } : {}),
    });
    if (interrupt.signal.aborted) return ExitCode.interrupted;
    print(report, options);
    return report.ok ? ExitCode.ok : ExitCode.problem;
  } finally {
    interrupt.dispose();
    await source.close();
  }
}

/** The number of providers to be pinged; an unknown `--provider` is a usage error naming the known ones. */
function select(config: UnderstudyConfig, names: readonly string[]): number {
  try {
    return selectProviders(config, names).length;
  } catch (error) {
    if (!(error instanceof UnknownProviderError)) throw error;
    throw new UsageError(`--provider: ${error.message}`, `understudy ping --provider ${error.known[0] ?? 'NAME'}`);
  }
}

function print(report: PingReport, options: PingCommandOptions): void {
  if (options.json) printJson(pingJson(report));
  else out(renderPingTable(report));
  if (options.junit !== undefined) {
    writeReport(options.junit, report);
    log(`JUnit report written to ${options.junit}`);
  }
  if (options.github || isGitHubActions()) {
    // stderr: the runner reads workflow commands from both streams, and stdout may be --json.
    process.stderr.write(pingAnnotations(report));
    if (!appendStepSummary(pingMarkdown(report)) && options.github) log('GITHUB_STEP_SUMMARY is not set: no step summary written');
  }
}

function writeReport(file: string, report: PingReport): void {
  try {
    writeJUnit(file, SUITE_NAME, toCheckGroups(report), { timestamp: new Date() });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new UsageError(`--junit: cannot write ${file} (${code})`, 'give a path in a directory you can write to');
  }
}

function progressLine(provider: ProviderReport): string {
  if (provider.ok) {
    const latency = provider.latencyMs === null ? '' : ` ${formatMs(provider.latencyMs)}`;
    return `  ${paint('green', '✓')} ${provider.name}${latency}`;
  }
  const failed = provider.checks.find((check) => !check.ok && !check.skipped);
  const what = failed?.failure?.kind === 'aborted' ? 'interrupted' : failed ? `${failed.name} failed` : 'failed';
  return `  ${paint('red', '✗')} ${provider.name}: ${what}`;
}

function sinkProgressLine(sink: SinkReport): string {
  return sink.ok ? `  ${paint('green', '✓')} alert sink ${sink.sink}` : `  ${paint('red', '✗')} alert sink ${sink.sink}: ${sink.detail}`;
}
