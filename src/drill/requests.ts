import { AllProvidersFailed, RequestFailed } from '../engine/errors.js';
import type { Attempt, CompletionRequest, Engine, EngineEvent } from '../engine/types.js';
import type { RequestRecord } from './types.js';

/**
 * The drill's request: tiny, so a drill against real providers costs next to nothing. Five
 * tokens rather than one leave a stream enough chunks to be cut in the middle.
 */
export const DRILL_REQUEST: CompletionRequest = {
  messages: [{ role: 'user', content: 'understudy drill: reply with one word' }],
  max_tokens: 5,
};

/** The same request streamed, with usage at the end so tokens can be counted. */
export const DRILL_STREAM_REQUEST: CompletionRequest = { ...DRILL_REQUEST, stream_options: { include_usage: true } };

/** What a sender needs around the engine. */
export interface SenderOptions {
  readonly engine: Engine;
  /** The scenario's event log, appended to by the engine's onEvent. */
  readonly events: readonly EngineEvent[];
  /** Requests the primary's fault proxy has received so far (undefined without a proxy). */
  readonly primaryCalls: () => number | undefined;
  readonly signal: AbortSignal;
  readonly now: () => number;
}

/** The parts of a record the two kinds of request fill in differently. */
type Outcome = Pick<RequestRecord, 'answeredBy' | 'attempts' | 'text' | 'tokens' | 'finished' | 'discarded' | 'restarts'> &
  Partial<Pick<RequestRecord, 'errorName' | 'errorMessage'>>;

/**
 * Sends the drill's requests one at a time and records each: who answered, the attempts, the
 * events it caused and how many calls reached the primary. A failed request is recorded, not
 * thrown, since a failure is often exactly what a scenario checks for; an interrupt is thrown.
 */
export class RequestSender {
  constructor(private readonly options: SenderOptions) {}

  /** A whole completion through the engine. */
  complete(label: string): Promise<RequestRecord> {
    return this.record(label, false, async () => {
      const result = await this.options.engine.complete(DRILL_REQUEST, { signal: this.options.signal });
      return {
        answeredBy: result.provider,
        attempts: result.attempts,
        text: result.choices[0]?.message.content ?? '',
        tokens: result.usage?.total_tokens ?? 0,
        finished: true,
        discarded: '',
        restarts: 0,
      };
    });
  }

  /**
   * A streamed completion, read the way a careful consumer reads one: on `restart` everything
   * received so far is thrown away, so the text kept is one provider's whole answer.
   */
  stream(label: string): Promise<RequestRecord> {
    let text = '';
    let discarded = '';
    let restarts = 0;
    let finished = false;
    let tokens = 0;
    let attempts: readonly Attempt[] = [];
    return this.record(label, true, async () => {
      const stream = this.options.engine.stream(DRILL_STREAM_REQUEST, {
        signal: this.options.signal,
        onRestart: () => {
          discarded += text;
          text = '';
          finished = false;
          tokens = 0;
          restarts++;
        },
      });
      attempts = stream.attempts;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (choice?.delta?.content) text += choice.delta.content;
        if (choice?.finish_reason) finished = true;
        if (chunk.usage) tokens = chunk.usage.total_tokens;
      }
      return { answeredBy: stream.provider, attempts: stream.attempts, text, tokens, finished, discarded, restarts };
    // A failed stream keeps what it had seen, for the checks and the report.
    }, () => ({ attempts, text, discarded, restarts }));
  }

  private async record(
    label: string,
    stream: boolean,
    send: () => Promise<Outcome>,
    partial: () => Partial<Outcome> = () => ({}),
  ): Promise<RequestRecord> {
    const { events, now, primaryCalls, signal } = this.options;
    const firstEvent = events.length;
    const callsBefore = primaryCalls();
    const startedAt = now();
    let outcome: Outcome;
    try {
      outcome = await send();
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      outcome = failedOutcome(error, partial());
    }
    const callsAfter = primaryCalls();
    return {
      label,
      stream,
      startedAt,
      endedAt: now(),
      events: events.slice(firstEvent),
      primaryCalls: callsBefore === undefined || callsAfter === undefined ? undefined : callsAfter - callsBefore,
      ...outcome,
    };
  }
}

/** A failed request's record: the error by name and message, the attempts it carries. */
function failedOutcome(error: unknown, partial: Partial<Outcome>): Outcome {
  const attempts = error instanceof AllProvidersFailed || error instanceof RequestFailed ? error.attempts : (partial.attempts ?? []);
  return {
    answeredBy: undefined,
    attempts,
    text: partial.text ?? '',
    tokens: 0,
    finished: false,
    discarded: partial.discarded ?? '',
    restarts: partial.restarts ?? 0,
    errorName: error instanceof Error ? error.name : 'Error',
    errorMessage: error instanceof Error ? error.message : String(error),
  };
}
