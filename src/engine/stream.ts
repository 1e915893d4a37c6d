import { MalformedResponseError } from './classify.js';
import type { EngineContext, RequestRun } from './context.js';
import { emitFailed, reportFailed, startRun, STOPPED } from './context.js';
import { RequestFailed } from './errors.js';
import { recordFailure, runFailover, type Answer } from './failover.js';
import type { ProviderSlot } from './provider-slot.js';
import type { AttemptScope } from './attempt-scope.js';
import type { StreamChunk } from './stream-chunk.js';
import type { AttemptError, ChatCompletionChunk, CompletionRequest, EngineStream, StreamOptions, TokenUsage } from './types.js';
import { tokenUsage } from './usage.js';

/** A provider's stream, opened and read up to its first content. */
interface OpenedStream {
  readonly iterator: AsyncIterator<StreamChunk>;
  /** Chunks read before the first content (role-only chunks), then the first content chunk. */
  readonly head: readonly StreamChunk[];
}

/**
 * A streamed completion. The engine commits to a provider only at its first content: until
 * then a failure fails over like any other. After that, a failure either restarts the request
 * on the next provider (the consumer is told, through `restart`, to discard what it has) or
 * surfaces, as `midStream` says.
 */
export function stream(context: EngineContext, request: CompletionRequest, options: StreamOptions = {}): EngineStream {
  const run = startRun(context, options.signal, options.providers, options.hedge !== false);
  let provider: string | undefined;
  let model: string | undefined;
  // Until a reader picks `wire()`, every chunk is parsed inside the engine, where a broken one is the provider's failure.
  let parseEach = true;

  async function* chunks(): AsyncGenerator<StreamChunk> {
    let ended = false;
    try {
      let answer = await runFailover(context, run, openUntilFirstContent(request));
      // What the caller waited for its first token, failovers included (a restart's is not counted again).
      const firstTokenMs = context.clock.now() - run.startedAt;
      for (;;) {
        provider = answer.slot.name;
        model = answer.slot.config.model;
        const failure = yield* relay(context, run, answer, firstTokenMs, parseEach);
        if (!failure) {
          ended = true;
          return;
        }
        const { slot, error } = failure;
        if (context.config.midStream === 'fail') throw new RequestFailed(slot.name, error, run.attempts);
        answer = await runFailover(context, run, openUntilFirstContent(request), run.route.indexOf(slot) + 1, slot);
        const restart = { from: slot.name, to: answer.slot.name, requestId: run.requestId, error };
        context.events.emit('restart', restart);
        options.onRestart?.(restart);
      }
    } catch (thrown) {
      ended = true;
      reportFailed(context, run, thrown);
      throw thrown;
    } finally {
      // Reached without `ended` only when the consumer left early: the request ends here too.
      if (!ended) emitFailed(context, run, provider ?? '', STOPPED);
    }
  }

  const iterable = chunks();
  let values: AsyncGenerator<ChatCompletionChunk> | undefined;
  return {
    requestId: run.requestId,
    get provider() {
      return provider;
    },
    get model() {
      return model;
    },
    get attempts() {
      return run.attempts;
    },
    get hedged() {
      return run.hedged === true;
    },
    get wonBy() {
      return run.wonBy;
    },
    wire() {
      parseEach = false;
      return iterable;
    },
    [Symbol.asyncIterator]: () => (values ??= valuesOf(iterable)),
  };
}

async function* valuesOf(chunks: AsyncIterable<StreamChunk>): AsyncGenerator<ChatCompletionChunk> {
  for await (const chunk of chunks) yield chunk.value;
}

function openUntilFirstContent(request: CompletionRequest) {
  return async (slot: ProviderSlot, scope: AttemptScope, budgetMs: number): Promise<OpenedStream> => {
    scope.arm('first-token', Math.min(slot.settings.firstTokenTimeoutMs, budgetMs));
    const iterator = (await slot.client.stream(request, scope.signal))[Symbol.asyncIterator]();
    const head: StreamChunk[] = [];
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        if (head.some((chunk) => chunk.final)) return { iterator, head };
        throw new MalformedResponseError('the stream ended before any content');
      }
      head.push(next.value);
      // Parses the chunk: one that is not JSON fails the call here, before the engine commits.
      if (next.value.hasContent) return { iterator, head };
    }
  };
}

/**
 * Passes a committed provider's chunks to the consumer, with the idle timer armed only while
 * waiting on the provider (a slow consumer is not a stalled stream). Returns the failure when
 * the provider breaks off; nothing when the stream completed.
 */
async function* relay(
  context: EngineContext,
  run: RequestRun,
  { slot, value, scope, startedAt: calledAt }: Answer<OpenedStream>,
  firstTokenMs: number,
  parseEach: boolean,
): AsyncGenerator<StreamChunk, { slot: ProviderSlot; error: AttemptError } | undefined> {
  const startedAt = context.clock.now();
  let finished = false;
  let sawFinish = value.head.some((chunk) => chunk.final);
  // Sent on the last chunk when the caller asked for it (stream_options.include_usage).
  let usage: TokenUsage | undefined;
  const fail = (thrown: unknown) => {
    const error = scope.failureOf(thrown, context.config.classify);
    recordFailure(context, run, slot, error, startedAt);
    if (error.class === 'fatal') throw new RequestFailed(slot.name, error, run.attempts, { cause: thrown });
    // The provider answered and then broke: that counts against it like any failed call.
    slot.breaker.failure({ trial: false });
    return { slot, error };
  };
  try {
    scope.disarm();
    for (const chunk of value.head) {
      usage = tokenUsage(chunk.usage) ?? usage;
      yield chunk;
    }
    for (;;) {
      scope.arm('idle', slot.settings.idleTimeoutMs);
      let next: IteratorResult<StreamChunk>;
      try {
        next = await value.iterator.next();
        if (!next.done) next.value.verify(parseEach);
      } catch (thrown) {
        return fail(thrown);
      }
      scope.disarm();
      if (next.done) {
        // The SDK ends an aborted stream quietly, and a cut connection can look like a clean end:
        // without a finish_reason the answer is truncated, and is never passed off as whole.
        if (!sawFinish || scope.timedOut || scope.callerAborted) {
          return fail(new MalformedResponseError('the stream ended before its finish_reason'));
        }
        break;
      }
      sawFinish ||= next.value.final;
      usage = tokenUsage(next.value.usage) ?? usage;
      yield next.value;
    }
    finished = true;
    const now = context.clock.now();
    slot.recordTotal(now - calledAt, now);
    context.events.emit('success', {
      provider: slot.name,
      requestId: run.requestId,
      ms: now - run.startedAt,
      attempts: run.attempts,
      firstTokenMs,
      ...(usage ? { usage } : {}),
    });
    return undefined;
  } finally {
    // Also runs when the consumer stops early: the provider's stream is aborted, not leaked.
    scope.dispose(finished);
  }
}
