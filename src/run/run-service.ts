import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describeWarnings, setUpProviders } from '../setup/providers.js';
import { prepareConfiguredAlerts } from '../setup/alerts.js';
import { joinConfiguredFleet } from '../setup/fleet.js';
import { startTelemetry } from '../setup/telemetry.js';
import { isInteractive } from '../terminal/colour.js';
import { ExitCode, UsageError } from '../terminal/exit-codes.js';
import { handleInterrupts } from '../terminal/interrupt.js';
import { createEngine } from '../engine/engine.js';
import type { CompletionRequest, Engine } from '../engine/types.js';
import { printJson } from '../report/json.js';
import { log, out } from '../report/output.js';
import { runBatch } from './batch.js';
import { BatchStats } from './batch-stats.js';
import { STDIN } from './input-lines.js';
import { NoticeLines } from './notices.js';
import { DEFAULT_PROMPT_OUTBOX, resolveBatchPaths, type ResolvedBatchPaths } from './paths.js';
import { startPlainProgress } from './plain-progress.js';
import { runPrompt } from './prompt.js';
import { summaryJson, summaryLines } from './summary.js';
import { wholeNumberOption } from '../terminal/options.js';

/** `understudy run`'s options, as commander parses them. */
export interface RunCommandOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly system?: string;
  readonly input?: string;
  readonly output?: string;
  /** A path, `false` for `--no-outbox`, undefined for the default. */
  readonly outbox?: string | boolean;
  readonly rejects?: string;
  readonly concurrency: string;
  readonly offline?: boolean;
  readonly progressInterval: string;
  readonly model?: string;
  /** `--schema FILE.json`: a JSON Schema every answer must match. */
  readonly schema?: string;
  /** `--otel`: export OpenTelemetry traces and metrics. */
  readonly otel?: boolean;
}

/** The longest `--concurrency`: beyond this, a provider's rate limit answers, not understudy. */
const MAX_CONCURRENCY = 1_000;

/** Runs `understudy run`: one prompt (argument or stdin) or a batch (`--input`). Returns the exit code. */
export async function runCommand(prompt: string | undefined, options: RunCommandOptions): Promise<number> {
  if (options.model !== undefined) {
    throw new UsageError('run takes no --model: models belong to providers, each answers with the `model` set on it in the config', 'change the provider\'s model in the config, or put the provider you want first');
  }
  if (options.input !== undefined) {
    if (prompt !== undefined) throw new UsageError('give either a prompt or --input FILE, not both');
    return runBatchCommand(options);
  }
  for (const flag of ['output', 'rejects'] as const) {
    if (options[flag] !== undefined) throw new UsageError(`--${flag} is for a batch (--input FILE.jsonl)`, `understudy run --input requests.jsonl --${flag} ${options[flag]}`);
  }
  const text = prompt ?? (await readPromptFromStdin());
  return runPromptCommand(text, options);
}

async function runPromptCommand(text: string, options: RunCommandOptions): Promise<number> {
  const request: CompletionRequest = {
    messages: [...(options.system ? [{ role: 'system' as const, content: options.system }] : []), { role: 'user' as const, content: text }],
  };
  const interrupt = handleInterrupts();
  return withEngine(options, async (engine) => {
    try {
      return await runPrompt({
        engine,
        request,
        json: Boolean(options.json),
        validated: options.schema !== undefined,
        outbox: options.outbox === false ? undefined : typeof options.outbox === 'string' ? options.outbox : DEFAULT_PROMPT_OUTBOX,
        signal: interrupt.signal,
        io: { writeOut: (chunk) => process.stdout.write(chunk), outIsTerminal: Boolean(process.stdout.isTTY), log },
      });
    } finally {
      interrupt.dispose();
    }
  });
}

async function runBatchCommand(options: RunCommandOptions): Promise<number> {
  if (options.outbox === false) throw new UsageError('--no-outbox is for one prompt: a batch keeps every request it could not answer in its outbox');
  const concurrency = wholeNumberOption(options.concurrency, '--concurrency', { min: 1, max: MAX_CONCURRENCY });
  const progressIntervalMs = wholeNumberOption(options.progressInterval, '--progress-interval', { min: 100, max: 3_600_000 });
  const paths = resolveBatchPaths({
    input: options.input!,
    ...(options.output !== undefined ? { output: options.output } : {}),
    ...(typeof options.outbox === 'string' ? { outbox: options.outbox } : {}),
    ...(options.rejects !== undefined ? { rejects: options.rejects } : {}),
  });
  const shown = displayPaths(paths);
  const notices = new NoticeLines(shown);
  const stats = new BatchStats(performance.now());

  return withEngine(options, async (engine) => {
    // The bar is drawn on stderr, so stderr is the terminal that matters (stdout may be piped).
    const live = !options.json && isInteractive(process.env, Boolean(process.stderr.isTTY));
    const progress = live
      ? await (await import('../ui/run/render-progress.js')).renderBatchProgress({ stats, engine })
      : { notice: (line: string) => log(line), stop: startPlainProgress({ stats, engine, write: log, intervalMs: progressIntervalMs }) };
    let interrupted: 'no' | 'stopped' | 'aborted' = 'no';
    // Two steps: a batch has calls in flight worth letting finish before aborting them.
    const interrupts = handleInterrupts({
      steps: 2,
      onInterrupt: (step) => {
        interrupted = step === 1 ? 'stopped' : 'aborted';
        progress.notice(
          step === 1
            ? 'stopping: no new requests; waiting for those in flight (Ctrl-C again to abort them into the outbox)'
            : 'aborting the requests in flight into the outbox (Ctrl-C again to quit at once)',
        );
      },
    });
    try {
      const result = await runBatch({
        engine,
        ...paths,
        concurrency,
        ...(options.system !== undefined ? { system: options.system } : {}),
        stopSignal: interrupts.signal,
        abortSignal: interrupts.hardSignal,
        stats,
        onNotice: (notice) => {
          const line = notices.lineFor(notice);
          if (line !== undefined) progress.notice(line);
        },
      });
      progress.stop();
      for (const line of notices.foldedLines()) log(line);
      if (options.json) printJson(summaryJson(result, paths, interrupted));
      else for (const line of summaryLines(result, shown, interrupted, retryHint(shown, options))) out(line);
      if (interrupted !== 'no') return ExitCode.interrupted;
      if (result.outboxed.length > 0) return ExitCode.allFailed;
      return result.stats.badLines > 0 ? ExitCode.problem : ExitCode.ok;
    } finally {
      progress.stop();
      interrupts.dispose();
    }
  });
}

/** Loads the config (or starts the offline mock providers), runs `body` with one engine, and cleans up. */
async function withEngine(options: RunCommandOptions, body: (engine: Engine) => Promise<number>): Promise<number> {
  const setup = await setUpProviders({ configPath: options.config, offline: options.offline });
  try {
    // On stderr, so a piped answer stays only the answer; said so the demo's answers are never taken for real ones.
    if (setup.offline) log(setup.label);
    for (const line of describeWarnings(setup.warnings)) log(line);
    const schema = options.schema === undefined ? undefined : readSchema(options.schema);
    // The schema joins the config's output contract, so every answer, whichever provider gave
    // it, is checked (and repaired, then failed over) by the engine itself.
    const telemetry = await startTelemetry({ flag: options.otel, log });
    try {
      const fleet = await joinConfiguredFleet(setup.config, log);
      const attachAlerts = await prepareConfiguredAlerts(setup);
      const engine = createEngine(
        schema ? { ...setup.config, output: { ...setup.config.output, schema } } : setup.config,
        fleet.shared ? { shared: fleet.shared } : {},
      );
      telemetry.instrument(engine);
      const alerts = attachAlerts(engine);
      try {
        return await body(engine);
      } finally {
        await alerts.close();
        engine.close();
        await fleet.close();
      }
    } finally {
      // After Ctrl-C too: the first one lets the command finish, so its spans are sent.
      await telemetry.shutdown();
    }
  } finally {
    await setup.close();
  }
}

/** `--schema FILE.json`: a JSON Schema object, or a usage error naming the file and what is wrong. */
function readSchema(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--schema: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--schema: ${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new UsageError(`--schema: ${file} must hold a JSON Schema object`, 'e.g. {"type": "object", "required": ["answer"]}');
  }
  return schema as Record<string, unknown>;
}

async function readPromptFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError('no prompt: give one as an argument, pipe it on stdin, or send a batch with --input FILE.jsonl', 'understudy run "Summarize this incident in one line"');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') throw new UsageError('the prompt on stdin is empty');
  return text;
}

/** Paths as the user would type them: relative to the working directory when inside it. */
function displayPaths(paths: ResolvedBatchPaths): ResolvedBatchPaths {
  const short = (path: string) => {
    if (path === STDIN) return path;
    const rel = relative(process.cwd(), path);
    return rel.startsWith('..') || rel === '' ? path : rel;
  };
  return { input: short(paths.input), output: short(paths.output), outbox: short(paths.outbox), rejects: short(paths.rejects) };
}

function retryHint(paths: ResolvedBatchPaths, options: RunCommandOptions): string {
  const config = options.offline ? ' --offline' : options.config !== undefined ? ` --config ${options.config}` : '';
  // A custom outbox must be named again, so the retry run rewrites the very file it reads.
  const outbox = typeof options.outbox === 'string' ? ` --outbox ${paths.outbox}` : '';
  return `understudy run --input ${paths.outbox} --output ${paths.output}${outbox}${config}`;
}
