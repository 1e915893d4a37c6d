/**
 * Attribute, metric and event names. The `gen_ai.*` ones follow the OpenTelemetry GenAI semantic
 * conventions (still "development" there, so written out here rather than taken from the
 * incubating entry point of @opentelemetry/semantic-conventions, which may rename them in any
 * release); `understudy.*` ones are what the conventions have no word for: failover and breakers.
 */
export const ATTR = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestStream: 'gen_ai.request.stream',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
  httpStatus: 'http.response.status_code',
  requestId: 'understudy.request.id',
  attempt: 'understudy.attempt',
  attempts: 'understudy.attempts',
  failover: 'understudy.failover',
  failoverFrom: 'understudy.failover.from',
  failoverTo: 'understudy.failover.to',
  failoverReason: 'understudy.failover.reason',
  failureClass: 'understudy.failure.class',
  timeout: 'understudy.timeout',
  retryDelayMs: 'understudy.retry.delay_ms',
  breakerFrom: 'understudy.breaker.from',
  breakerTo: 'understudy.breaker.to',
  breakerState: 'understudy.breaker.state',
  breakerRemote: 'understudy.breaker.remote',
  trial: 'understudy.breaker.trial',
  outcome: 'understudy.attempt.outcome',
  hedge: 'understudy.hedge',
  hedgeAfterMs: 'understudy.hedge.after_ms',
  hedged: 'understudy.hedged',
  degraded: 'understudy.degraded',
} as const;

/** The only GenAI operation the engine performs. */
export const CHAT = 'chat';

export const METRIC = {
  duration: 'gen_ai.client.operation.duration',
  timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
  tokenUsage: 'gen_ai.client.token.usage',
  attempts: 'understudy.attempts',
  failovers: 'understudy.failovers',
  breakerState: 'understudy.breaker.state',
  degraded: 'understudy.provider.degraded',
} as const;

/** Span events on a request's span: what the engine did between its attempts. */
export const EVENT = {
  retry: 'understudy.retry',
  failover: 'understudy.failover',
  breaker: 'understudy.breaker',
  restart: 'understudy.restart',
  hedge: 'understudy.hedge',
} as const;

/** The instrumentation scope's name, for `trace.getTracer` and `metrics.getMeter`. */
export const SCOPE = 'understudy';
