import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { EngineEvent } from '../engine/types.js';
import { describe, errorAttributes, pick, usageAttributes } from './attributes.js';
import { ATTR, CHAT, EVENT } from './names.js';

type Of<K extends EngineEvent['type']> = Extract<EngineEvent, { type: K }>;

/** One request in flight: its span, and the span of each call to a provider still running. */
interface OpenRequest {
  readonly span: Span;
  /** By provider: a request calls one provider at a time (a hedge adds a second, never the same). */
  readonly calls: Map<string, Span>;
  count: number;
}

/**
 * Requests kept open at most. A stream dropped without being read to its end or closed never
 * tells the engine it ended; past this many, the oldest span is ended rather than kept forever.
 */
const MAX_OPEN_REQUESTS = 10_000;

/**
 * Turns engine events into spans: one per request (`chat`), a child per call to a provider
 * (`chat {model}`, kind client), and span events for what happened between the calls (retry,
 * failover, breaker change, restart). Provider messages are never recorded: a provider may echo
 * part of a key in them, so spans say what failed by class, kind and status only.
 */
export class SpanRecorder {
  private readonly open = new Map<number, OpenRequest>();
  /** The request that called each provider last: the one whose outcome moves its breaker. */
  private readonly lastCaller = new Map<string, number>();
  /** Providers whose breaker just turned half-open: their next call is the trial. */
  private readonly trials = new Map<string, Attributes>();

  constructor(
    private readonly tracer: Tracer,
    private readonly modelOf: (provider: string) => string | undefined,
  ) {}

  readonly onEvent = (event: EngineEvent): void => {
    switch (event.type) {
      case 'attempt':
        return this.onAttempt(event);
      case 'failure':
        return this.onFailure(event);
      case 'retry':
        return this.annotate(event.requestId, EVENT.retry, {
          [ATTR.providerName]: event.provider,
          [ATTR.retryDelayMs]: event.delayMs,
          ...errorAttributes(event.error),
        });
      case 'failover':
        return this.annotate(event.requestId, EVENT.failover, {
          [ATTR.failoverFrom]: event.from,
          [ATTR.failoverTo]: event.to,
          [ATTR.failoverReason]: event.reason,
        });
      case 'restart':
        return this.annotate(event.requestId, EVENT.restart, {
          [ATTR.failoverFrom]: event.from,
          [ATTR.failoverTo]: event.to,
          ...errorAttributes(event.error),
        });
      case 'hedge':
        return this.annotate(event.requestId, EVENT.hedge, {
          [ATTR.failoverFrom]: event.from,
          [ATTR.failoverTo]: event.to,
          [ATTR.hedgeAfterMs]: event.afterMs,
        });
      case 'breaker':
        return this.onBreaker(event);
      case 'success':
        return this.onSuccess(event);
      case 'exhausted':
        return this.end(event.requestId, { [ATTR.errorType]: 'exhausted' }, 'every provider failed');
      case 'failed':
        return this.end(event.requestId, { [ATTR.providerName]: event.provider, ...errorAttributes(event.error) }, describe(event.error));
      default:
        return;
    }
  };

  /** Ends every span still open (the process is stopping). */
  endAll(): void {
    for (const requestId of [...this.open.keys()]) this.end(requestId, {}, undefined);
  }

  private onAttempt(event: Of<'attempt'>): void {
    const request = this.requestFor(event.requestId);
    request.count++;
    this.lastCaller.set(event.provider, event.requestId);
    const trial = this.trials.get(event.provider);
    if (trial) this.trials.delete(event.provider);
    // No SDK registered (or this request sampled out): its calls would record nothing either.
    if (!request.span.isRecording()) return;
    if (trial) request.span.addEvent(EVENT.breaker, trial);
    const model = this.modelOf(event.provider);
    const span = this.tracer.startSpan(
      model ? `${CHAT} ${model}` : CHAT,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR.operationName]: CHAT,
          [ATTR.providerName]: event.provider,
          ...(model ? { [ATTR.requestModel]: model } : {}),
          [ATTR.attempt]: event.attempt,
          ...(trial ? { [ATTR.trial]: true } : {}),
          ...(event.hedge ? { [ATTR.hedge]: true } : {}),
        },
      },
      trace.setSpan(context.active(), request.span),
    );
    request.calls.get(event.provider)?.end();
    request.calls.set(event.provider, span);
  }

  private onFailure(event: Of<'failure'>): void {
    // requestId 0: a direct check (probe, watch), outside any request.
    if (event.requestId === 0) return;
    this.lastCaller.set(event.provider, event.requestId);
    const request = this.open.get(event.requestId);
    const span = request?.calls.get(event.provider);
    if (!request || !span) return;
    request.calls.delete(event.provider);
    span.setAttributes(errorAttributes(event.error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: describe(event.error) });
    span.end();
  }

  private onBreaker(event: Of<'breaker'>): void {
    const attributes: Attributes = {
      [ATTR.providerName]: event.provider,
      [ATTR.breakerFrom]: event.from,
      [ATTR.breakerTo]: event.to,
      ...(event.remote ? { [ATTR.breakerRemote]: true } : {}),
    };
    this.trials.delete(event.provider);
    // Half-open hands out the trial permit just before the trial's call starts.
    if (event.to === 'half-open' && !event.remote) return void this.trials.set(event.provider, attributes);
    const requestId = this.lastCaller.get(event.provider);
    if (requestId !== undefined) this.open.get(requestId)?.span.addEvent(EVENT.breaker, attributes);
  }

  private onSuccess(event: Of<'success'>): void {
    const request = this.open.get(event.requestId);
    if (!request) return;
    if (!request.span.isRecording()) {
      this.open.delete(event.requestId);
      return request.span.end();
    }
    const model = this.modelOf(event.provider);
    const answered: Attributes = {
      [ATTR.providerName]: event.provider,
      ...(model ? { [ATTR.requestModel]: model } : {}),
      ...usageAttributes(event.usage),
    };
    const call = request.calls.get(event.provider);
    if (call) {
      request.calls.delete(event.provider);
      call.setAttributes(usageAttributes(event.usage));
      call.end();
    }
    // Any other call still open lost a hedge race and was aborted.
    for (const loser of request.calls.values()) loser.setAttribute(ATTR.outcome, 'cancelled');
    const first = event.attempts[0];
    this.end(
      event.requestId,
      {
        ...answered,
        [ATTR.requestStream]: event.firstTokenMs !== undefined,
        [ATTR.failover]: first !== undefined && first.provider !== event.provider,
        [ATTR.hedged]: event.attempts.some((attempt) => attempt.hedge === true),
      },
      undefined,
    );
  }

  private requestFor(requestId: number): OpenRequest {
    let request = this.open.get(requestId);
    if (request) return request;
    if (this.open.size >= MAX_OPEN_REQUESTS) this.end(this.open.keys().next().value!, { [ATTR.errorType]: 'abandoned' }, 'never ended');
    // The caller's active span, if it has one, becomes the parent (context follows async calls
    // when the application registered a context manager).
    const span = this.tracer.startSpan(
      CHAT,
      { kind: SpanKind.INTERNAL, attributes: { [ATTR.operationName]: CHAT, [ATTR.requestId]: requestId } },
      context.active(),
    );
    request = { span, calls: new Map(), count: 0 };
    this.open.set(requestId, request);
    return request;
  }

  private annotate(requestId: number, name: string, attributes: Attributes): void {
    this.open.get(requestId)?.span.addEvent(name, attributes);
  }

  /** Ends a request's span (and calls still open under it); `error` marks it failed. */
  private end(requestId: number, attributes: Attributes, error: string | undefined): void {
    // A request that ended before calling anyone (every breaker open) still gets its span.
    const request = this.open.get(requestId) ?? this.requestFor(requestId);
    this.open.delete(requestId);
    for (const call of request.calls.values()) {
      if (error !== undefined) {
        call.setAttributes(pick(attributes, ATTR.errorType, ATTR.failureClass));
        call.setStatus({ code: SpanStatusCode.ERROR, message: error });
      }
      call.end();
    }
    request.span.setAttributes({ ...attributes, [ATTR.attempts]: request.count });
    if (error !== undefined) request.span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    request.span.end();
  }
}
