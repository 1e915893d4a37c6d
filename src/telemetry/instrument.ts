import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';
import type { Engine } from '../engine/types.js';
import { recordMetrics } from './metrics.js';
import { SCOPE } from './names.js';
import { SpanRecorder } from './spans.js';

export interface InstrumentOptions {
  /** Default: the `understudy` tracer of the registered tracer provider (a no-op when none is). */
  readonly tracer?: Tracer;
  /** Default: the `understudy` meter of the registered meter provider (a no-op when none is). */
  readonly meter?: Meter;
}

/** Stops the instrumentation; spans of requests still in flight are ended. */
export type Uninstrument = () => void;

/**
 * OpenTelemetry traces and metrics for an engine, built from its events and following the GenAI
 * semantic conventions: a `chat` span per request with a client span per call to a provider,
 * span events for retries, failovers, breaker changes and restarts, and duration, time to first
 * chunk, token, call, failover and breaker-state metrics by provider. Only `@opentelemetry/api`
 * is used: with no SDK registered (and no tracer or meter given) everything is a no-op. An
 * engine that is not instrumented pays nothing at all.
 */
export function instrument(engine: Engine, options: InstrumentOptions = {}): Uninstrument {
  const models = new Map(engine.state().map((provider) => [provider.name, provider.model]));
  const spans = new SpanRecorder(options.tracer ?? trace.getTracer(SCOPE), (provider) => models.get(provider));
  const measures = recordMetrics(engine, options.meter ?? metrics.getMeter(SCOPE));
  const unsubscribe = engine.onAny((event) => {
    spans.onEvent(event);
    measures.onEvent(event);
  });
  return () => {
    unsubscribe();
    measures.detach();
    spans.endAll();
  };
}
