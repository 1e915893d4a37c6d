import { AsyncLocalStorage } from 'node:async_hooks';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { AllProvidersFailed, RequestFailed } from '../../src/engine/errors.js';
import { instrument } from '../../src/telemetry/instrument.js';
import { harness, PROMPT, type Harness } from '../support/engine-harness.js';
import { completion, delayed, refuse, sse, status } from '../support/scripted-fetch.js';

/** Collects on demand, as a test asks, instead of on a timer. */
class TestReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

interface Telemetry {
  readonly spans: () => ReadableSpan[];
  readonly metrics: () => Promise<MetricData[]>;
  readonly stop: () => void;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function observe(h: Harness): Telemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const stop = instrument(h.engine, { tracer: tracerProvider.getTracer('test'), meter: meterProvider.getMeter('test') });
  cleanups.push(async () => {
    stop();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  });
  return {
    spans: () => exporter.getFinishedSpans(),
    metrics: async () => (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics),
    stop,
  };
}

const roots = (spans: ReadableSpan[]) => spans.filter((span) => span.name === 'chat');
const callsOf = (spans: ReadableSpan[], root: ReadableSpan) =>
  spans.filter((span) => span.parentSpanContext?.spanId === root.spanContext().spanId);
const metric = (all: MetricData[], name: string) => {
  const found = all.find((candidate) => candidate.descriptor.name === name);
  if (!found) throw new Error(`no metric ${name} among ${all.map((m) => m.descriptor.name).join(', ')}`);
  return found;
};

describe('spans for a failover', () => {
  it('one request span, a client span per call, and the retry, breaker and failover as span events', async () => {
    const h = harness(
      { primary: [status(503, 'overloaded')], backup: [completion('from backup')] },
      { retry: { maxRetries: 1 }, breaker: { failureThreshold: 2, cooldownMs: 10_000 } },
    );
    const t = observe(h);
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('backup');

    const spans = t.spans();
    const [root] = roots(spans);
    expect(roots(spans)).toHaveLength(1);
    expect(root!.kind).toBe(SpanKind.INTERNAL);
    expect(root!.parentSpanContext).toBeUndefined();
    expect(root!.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(root!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'backup',
      'gen_ai.request.model': 'backup-model',
      'gen_ai.usage.input_tokens': 1,
      'gen_ai.usage.output_tokens': 1,
      'gen_ai.request.stream': false,
      'understudy.failover': true,
      'understudy.attempts': 3,
    });

    const calls = callsOf(spans, root!);
    expect(calls.map((span) => span.name)).toEqual(['chat primary-model', 'chat primary-model', 'chat backup-model']);
    for (const call of calls) {
      expect(call.kind).toBe(SpanKind.CLIENT);
      expect(call.attributes['gen_ai.operation.name']).toBe('chat');
    }
    const [first, second, answer] = calls;
    for (const failed of [first!, second!]) {
      expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: '503 server' });
      expect(failed.attributes).toMatchObject({
        'gen_ai.provider.name': 'primary',
        'gen_ai.request.model': 'primary-model',
        'error.type': 'server',
        'http.response.status_code': 503,
        'understudy.failure.class': 'retryable',
      });
    }
    expect(answer!.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(answer!.attributes).toMatchObject({ 'gen_ai.provider.name': 'backup', 'gen_ai.usage.output_tokens': 1 });
    expect(answer!.attributes['error.type']).toBeUndefined();

    expect(root!.events.map((event) => event.name)).toEqual(['understudy.retry', 'understudy.breaker', 'understudy.failover']);
    const [retry, breaker, failover] = root!.events;
    expect(retry!.attributes).toMatchObject({ 'gen_ai.provider.name': 'primary', 'error.type': 'server', 'understudy.retry.delay_ms': 100 });
    expect(breaker!.attributes).toMatchObject({ 'gen_ai.provider.name': 'primary', 'understudy.breaker.from': 'closed', 'understudy.breaker.to': 'open' });
    expect(failover!.attributes).toMatchObject({ 'understudy.failover.from': 'primary', 'understudy.failover.to': 'backup', 'understudy.failover.reason': '503 server' });
  });

  it('a dead primary (connection refused): its call fails as connection, the fallback answers', async () => {
    const h = harness({ primary: [refuse()], backup: [completion()] }, { retry: { maxRetries: 0 } });
    const t = observe(h);
    await h.clock.settle(h.engine.complete(PROMPT));
    const [root] = roots(t.spans());
    const [dead, answer] = callsOf(t.spans(), root!);
    expect(dead!.attributes).toMatchObject({ 'gen_ai.provider.name': 'primary', 'error.type': 'connection' });
    expect(dead!.attributes['http.response.status_code']).toBeUndefined();
    expect(answer!.attributes['gen_ai.provider.name']).toBe('backup');
    expect(root!.attributes['understudy.failover']).toBe(true);
  });

  it('a request the primary answers is no failover and has one call', async () => {
    const h = harness({ primary: [completion()], backup: [completion()] });
    const t = observe(h);
    await h.clock.settle(h.engine.complete(PROMPT));
    const [root] = roots(t.spans());
    expect(root!.attributes).toMatchObject({ 'gen_ai.provider.name': 'primary', 'understudy.failover': false, 'understudy.attempts': 1 });
    expect(root!.events).toEqual([]);
  });

  it('the half-open trial is marked on its call, with the breaker change on its request', async () => {
    const h = harness({ primary: [status(503)], backup: [completion()] }, { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 5_000 } });
    const t = observe(h);
    await h.clock.settle(h.engine.complete(PROMPT));
    h.script('primary', [completion('back')]);
    await h.clock.advance(5_000);
    await h.clock.settle(h.engine.complete(PROMPT));
    const trialRequest = roots(t.spans())[1]!;
    const [trial] = callsOf(t.spans(), trialRequest);
    expect(trial!.attributes).toMatchObject({ 'gen_ai.provider.name': 'primary', 'understudy.breaker.trial': true });
    expect(trialRequest.events.map((event) => [event.attributes?.['understudy.breaker.from'], event.attributes?.['understudy.breaker.to']])).toEqual([
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('every provider failing: the request span is an error, exhausted', async () => {
    const h = harness({ primary: [status(503)], backup: [refuse()] }, { retry: { maxRetries: 0 } });
    const t = observe(h);
    await expect(h.clock.settle(h.engine.complete(PROMPT))).rejects.toBeInstanceOf(AllProvidersFailed);
    const [root] = roots(t.spans());
    expect(root!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'every provider failed' });
    expect(root!.attributes['error.type']).toBe('exhausted');
    expect(callsOf(t.spans(), root!)).toHaveLength(2);
  });

  it('a bad request ends the request span at once with its kind, and is not failed over', async () => {
    const h = harness({ primary: [status(400, 'bad')], backup: [completion()] });
    const t = observe(h);
    await expect(h.clock.settle(h.engine.complete(PROMPT))).rejects.toBeInstanceOf(RequestFailed);
    const [root] = roots(t.spans());
    expect(root!.attributes).toMatchObject({ 'error.type': 'bad-request', 'http.response.status_code': 400, 'understudy.attempts': 1 });
    expect(root!.status.code).toBe(SpanStatusCode.ERROR);
    expect(root!.events.filter((event) => event.name === 'understudy.failover')).toEqual([]);
  });

  it('a stream: the restart is a span event, and a consumer that stops early still ends its spans', async () => {
    const h = harness({ primary: [sse(['a', 'b', 'c'], { dropAfter: 1 })], backup: [sse(['x', 'y'])] }, { retry: { maxRetries: 0 } });
    const t = observe(h);
    for await (const chunk of h.engine.stream(PROMPT)) void chunk;
    const [restarted] = roots(t.spans());
    expect(restarted!.attributes).toMatchObject({ 'gen_ai.provider.name': 'backup', 'gen_ai.request.stream': true });
    expect(restarted!.events.map((event) => event.name)).toContain('understudy.restart');

    h.script('primary', [sse(['a', 'b', 'c'])]);
    for await (const chunk of h.engine.stream(PROMPT)) {
      void chunk;
      break;
    }
    const stopped = roots(t.spans())[1]!;
    expect(stopped.attributes['error.type']).toBe('aborted');
    expect(callsOf(t.spans(), stopped)).toHaveLength(1);
    expect(callsOf(t.spans(), stopped)[0]!.ended).toBe(true);
  });

  it('a hedge: a span event on the request, the hedge call marked, the loser cancelled', async () => {
    const h = harness(
      { primary: [delayed(5_000, completion('primary'))], backup: [delayed(100, completion('backup'))] },
      { hedge: { afterMs: 500, maxExtraPercent: 100 } },
    );
    const t = observe(h);
    await h.clock.settle(h.engine.complete(PROMPT));
    const [root] = roots(t.spans());
    expect(root!.attributes).toMatchObject({ 'gen_ai.provider.name': 'backup', 'understudy.hedged': true });
    expect(root!.events.map((event) => [event.name, event.attributes])).toEqual([
      ['understudy.hedge', { 'understudy.failover.from': 'primary', 'understudy.failover.to': 'backup', 'understudy.hedge.after_ms': 500 }],
    ]);
    const calls = callsOf(t.spans(), root!);
    const byProvider = Object.fromEntries(calls.map((call) => [call.attributes['gen_ai.provider.name'], call.attributes]));
    expect(byProvider['primary']).toMatchObject({ 'understudy.attempt.outcome': 'cancelled' });
    expect(byProvider['backup']).toMatchObject({ 'understudy.hedge': true });
    const attempts = metric(await t.metrics(), 'understudy.attempts');
    expect(attempts.dataPoints.map((point) => `${point.attributes['gen_ai.provider.name']} ${point.attributes['understudy.attempt.outcome']}`).sort()).toEqual([
      'backup success',
      'primary cancelled',
    ]);
  });

  it('no secret reaches a span, even when a provider echoes the key in its error', async () => {
    const key = 'sk-test-primary-0123456789';
    const h = harness({ primary: [status(401, `Incorrect API key provided: ${key}`)], backup: [completion()] });
    const t = observe(h);
    await h.clock.settle(h.engine.complete(PROMPT));
    const recorded = JSON.stringify(
      t.spans().map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, status: span.status })),
    );
    expect(recorded).toContain('"error.type":"auth"');
    expect(recorded).not.toContain(key);
    expect(recorded).not.toContain('Incorrect API key');
    expect(JSON.stringify(await t.metrics())).not.toContain(key);
  });

  it('stops recording when uninstrumented', async () => {
    const h = harness({ primary: [completion()] });
    const t = observe(h);
    t.stop();
    await h.clock.settle(h.engine.complete(PROMPT));
    expect(t.spans()).toEqual([]);
  });
});

/** What an application's SDK registers (context-async-hooks), in a few lines: the active context follows async calls. */
class AsyncContext implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(scope: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(scope, () => fn.call(thisArg, ...args));
  }
  bind<T>(_scope: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

describe('inside an application that traces', () => {
  afterEach(() => context.disable());

  it("a request's span is a child of the caller's active span", async () => {
    context.setGlobalContextManager(new AsyncContext());
    const h = harness({ primary: [completion()] });
    const t = observe(h);
    const tracer = new BasicTracerProvider().getTracer('app');
    const handler = tracer.startSpan('handle ticket');
    await context.with(trace.setSpan(context.active(), handler), () => h.clock.settle(h.engine.complete(PROMPT)));
    handler.end();
    const [root] = roots(t.spans());
    expect(root!.spanContext().traceId).toBe(handler.spanContext().traceId);
    expect(root!.parentSpanContext?.spanId).toBe(handler.spanContext().spanId);
  });
});

describe('metrics', () => {
  it('duration, calls, failovers and breaker state by provider', async () => {
    const h = harness({ primary: [refuse()], backup: [completion()] }, { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 60_000 } });
    const t = observe(h);
    await h.clock.advance(0);
    const request = h.engine.complete(PROMPT);
    await h.clock.settle(request);
    await h.clock.settle(h.engine.complete(PROMPT));
    const all = await t.metrics();

    const duration = metric(all, 'gen_ai.client.operation.duration');
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration.dataPoints.map((point) => [point.attributes['gen_ai.provider.name'], (point.value as { count: number }).count])).toEqual([['backup', 2]]);

    const calls = metric(all, 'understudy.attempts');
    const byOutcome = Object.fromEntries(
      calls.dataPoints.map((point) => [`${point.attributes['gen_ai.provider.name']} ${point.attributes['understudy.attempt.outcome']} ${point.attributes['error.type'] ?? ''}`.trim(), point.value]),
    );
    // The second request skips the open primary: no call, but still a failover.
    expect(byOutcome).toEqual({ 'primary failure connection': 1, 'backup success': 2 });

    const failovers = metric(all, 'understudy.failovers');
    expect(failovers.dataPoints.map((point) => [point.attributes['understudy.failover.from'], point.attributes['understudy.failover.to'], point.value])).toEqual([
      ['primary', 'backup', 2],
    ]);

    const breaker = metric(all, 'understudy.breaker.state');
    const states = breaker.dataPoints.filter((point) => point.value === 1).map((point) => `${point.attributes['gen_ai.provider.name']}:${point.attributes['understudy.breaker.state']}`);
    expect(states.sort()).toEqual(['backup:closed', 'primary:open']);
    expect(breaker.dataPoints).toHaveLength(6);

    const tokens = metric(all, 'gen_ai.client.token.usage');
    expect(tokens.dataPoints.map((point) => point.attributes['gen_ai.token.type']).sort()).toEqual(['input', 'output']);
  });

  it('time to first chunk for streams, from the request start', async () => {
    const h = harness({ primary: [sse(['a', 'b']), completion()] });
    const t = observe(h);
    for await (const chunk of h.engine.stream(PROMPT)) void chunk;
    await h.clock.settle(h.engine.complete(PROMPT));
    const ttft = metric(await t.metrics(), 'gen_ai.client.operation.time_to_first_chunk');
    expect(ttft.dataPoints).toHaveLength(1);
    expect((ttft.dataPoints[0]!.value as { count: number }).count).toBe(1);
    expect(ttft.dataPoints[0]!.attributes['gen_ai.provider.name']).toBe('primary');
  });
});
