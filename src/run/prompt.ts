import { AllProvidersFailed, RequestFailed } from '../engine/errors.js';
import type { Attempt, CompletionRequest, Engine, EngineEventMap } from '../engine/types.js';
import { describeError, formatMs } from '../report/view-model.js';
import { paint } from '../report/style.js';
import { toJson } from '../report/json.js';
import { ExitCode } from '../terminal/exit-codes.js';
import { answeredLine, failuresByProvider } from './attempt-text.js';
import { JsonlAppender } from './jsonl-file.js';
import { outboxEntry, summarizeFailure } from './records.js';

/** Where a prompt's answer and notes go; the real streams in the CLI, fakes in tests. */
export interface PromptIO {
  /** The answer (or the JSON document). */
  writeOut(text: string): void;
  /** True when stdout is a terminal: stream as it comes. Otherwise (a pipe) write only a whole answer. */
  readonly outIsTerminal: boolean;
  /** One line of notes on stderr. */
  log(line: string): void;
}

export interface PromptOptions {
  readonly engine: Engine;
  readonly request: CompletionRequest;
  readonly json: boolean;
  /**
   * The answer must pass an output contract (`--schema`): it is checked whole before any of it
   * is shown, so it is not streamed.
   */
  readonly validated?: boolean;
  /** Where the prompt goes when every provider fails; undefined for `--no-outbox`. */
  readonly outbox: string | undefined;
  readonly io: PromptIO;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/**
 * One prompt through the engine. Text: streamed to a terminal as it arrives; to a pipe only
 * once one provider has given the whole answer, so a restart mid-answer never splices two
 * providers' text into what a script reads. `--json`: one document once it is done.
 * Returns the exit code.
 */
export async function runPrompt(options: PromptOptions): Promise<number> {
  const { engine, io } = options;
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const opened = new Set<string>();
  const stopWatching = engine.on('breaker', (event) => {
    if (event.to === 'open') opened.add(event.provider);
  });
  try {
    const answer = options.json
      ? await completeForJson(options)
      : options.validated
        ? await completeAsText(options)
        : await streamAsText(options);
    io.log(paint('dim', answeredLine(answer.provider, answer.model, formatMs(now() - startedAt), answer.attempts, opened)));
    return ExitCode.ok;
  } catch (thrown) {
    return await reportFailure(thrown, options);
  } finally {
    stopWatching();
  }
}

interface Answered {
  readonly provider: string;
  readonly model: string | undefined;
  readonly attempts: readonly Attempt[];
}

async function completeForJson({ engine, request, io, signal }: PromptOptions): Promise<Answered> {
  const result = await engine.complete(request, signal ? { signal } : {});
  const content = result.choices[0]?.message.content ?? null;
  io.writeOut(toJson({ provider: result.provider, model: result.model, content, attempts: result.attempts, usage: result.usage ?? null }));
  return result;
}

async function completeAsText({ engine, request, io, signal }: PromptOptions): Promise<Answered> {
  const result = await engine.complete(request, signal ? { signal } : {});
  const text = result.choices[0]?.message.content ?? '';
  io.writeOut(text.endsWith('\n') ? text : `${text}\n`);
  return result;
}

async function streamAsText({ engine, request, io, signal }: PromptOptions): Promise<Answered> {
  let buffered = '';
  let lastPiece = '';
  const onRestart = (event: EngineEventMap['restart']) => {
    if (io.outIsTerminal) {
      // The discarded text stays on screen; the marker says so, on a line of its own.
      if (lastPiece !== '' && !lastPiece.endsWith('\n')) io.writeOut('\n');
      io.log(paint('yellow', `↻ ${event.from} failed mid-answer (${describeError(event.error)}); restarting on ${event.to} — the text above is discarded`));
    }
    buffered = '';
    lastPiece = '';
  };
  const stream = engine.stream(request, { ...(signal ? { signal } : {}), onRestart });
  try {
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (!piece) continue;
      if (io.outIsTerminal) io.writeOut(piece);
      else buffered += piece;
      lastPiece = piece;
    }
  } catch (thrown) {
    // Partial text on a terminal: end its line so the error reads on its own.
    if (io.outIsTerminal && lastPiece !== '' && !lastPiece.endsWith('\n')) io.writeOut('\n');
    throw thrown;
  }
  const text = io.outIsTerminal ? lastPiece : buffered;
  if (!io.outIsTerminal) io.writeOut(buffered);
  if (!text.endsWith('\n')) io.writeOut('\n');
  return { provider: stream.provider ?? '?', model: stream.model, attempts: stream.attempts };
}

async function reportFailure(thrown: unknown, options: PromptOptions): Promise<number> {
  const { io } = options;
  if (thrown instanceof RequestFailed && thrown.error.kind === 'aborted') {
    io.log('interrupted');
    if (options.json) io.writeOut(toJson({ provider: null, error: 'interrupted', attempts: thrown.attempts }));
    return ExitCode.interrupted;
  }
  if (!(thrown instanceof AllProvidersFailed) && !(thrown instanceof RequestFailed)) throw thrown;
  const failure = summarizeFailure(thrown);
  let savedTo: string | undefined;
  if (thrown instanceof AllProvidersFailed) {
    io.log(paint('red', 'every provider failed:'));
    for (const line of failuresByProvider(thrown.attempts)) io.log(`  ${line}`);
    if (options.outbox !== undefined) {
      savedTo = await saveToOutbox(options.outbox, options.request, failure);
      io.log(`the prompt is saved in ${savedTo}; retry it with: understudy run --input ${savedTo} --output answers.jsonl`);
    }
  } else {
    // The request itself was refused: another provider would refuse it too, and retrying as is cannot help.
    io.log(paint('red', failure.error));
  }
  if (options.json) io.writeOut(toJson({ provider: null, error: failure.error, reason: failure.reason, attempts: failure.attempts, ...(savedTo ? { outbox: savedTo } : {}) }));
  return thrown instanceof AllProvidersFailed ? ExitCode.allFailed : ExitCode.problem;
}

async function saveToOutbox(path: string, request: CompletionRequest, failure: ReturnType<typeof summarizeFailure>): Promise<string> {
  const at = new Date();
  const appender = JsonlAppender.open(path);
  try {
    appender.append(outboxEntry({ id: `prompt-${at.toISOString()}`, line: 0, request }, failure, at));
  } finally {
    await appender.close();
  }
  return path;
}
