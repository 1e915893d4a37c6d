import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import type { Attempt, BreakerState, Engine, EngineEvent } from '../engine/types.js';
import { ATTR, CHAT, METRIC } from './names.js';
import { errorAttributes } from './attributes.js';

/** The GenAI conventions' advised buckets, in seconds and in tokens. */
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half-open', 'open'];

/**
 * Metrics from engine events, by provider: request duration and time to first chunk
 * (histograms, seconds), token usage, calls and failovers (counters), and each breaker's state
 * (a gauge read from `engine.state()` only when the metrics are collected).
 */
export function recordMetrics(engine: Engine, meter: Meter): { onEvent: (event: EngineEvent) => void; detach(): void } {
  const models = new Map(engine.state().map((provider) => [provider.name, provider.model]));
  const byProvider = (provider: string): Attributes => {
    const model = models.get(provider);
    return { [ATTR.operationName]: CHAT, [ATTR.providerName]: provider, ...(model ? { [ATTR.requestModel]: model } : {}) };
  };
  // An answered request is the common case: its attribute sets are built once per provider.
  const answeredBy = new Map<string, { readonly request: Attributes; readonly call: Attributes; readonly input: Attributes; readonly output: Attributes }>();
  const answered = (provider: string) => {
    let sets = answeredBy.get(provider);
    if (!sets) {
      const request = byProvider(provider);
      sets = {
        request,
        call: { ...request, [ATTR.outcome]: 'success' },
        input: { ...request, [ATTR.tokenType]: 'input' },
        output: { ...request, [ATTR.tokenType]: 'output' },
      };
      answeredBy.set(provider, sets);
    }
    return sets;
  };

  const duration = meter.createHistogram(METRIC.duration, {
    unit: 's',
    description: 'Time of a request through the engine, failovers included (a stream: until its end), by the provider that answered.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const firstChunk = meter.createHistogram(METRIC.timeToFirstChunk, {
    unit: 's',
    description: 'Time from the start of a streamed request to its first content, failovers included, by the provider that answered.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const tokens = meter.createHistogram(METRIC.tokenUsage, {
    unit: '{token}',
    description: 'Tokens per answered request, as the provider reported them.',
    advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
  });
  const calls = meter.createCounter(METRIC.attempts, {
    unit: '{call}',
    description: 'Calls to each provider, by outcome (success, failure with error.type).',
  });
  const failovers = meter.createCounter(METRIC.failovers, {
    unit: '{failover}',
    description: 'Requests moved from one provider to the next.',
  });
  const breaker = meter.createObservableGauge(METRIC.breakerState, {
    unit: '1',
    description: "1 for each provider's current breaker state (closed, half-open, open), 0 for the others.",
  });
  const observeBreakers = (result: ObservableResult) => {
    for (const provider of engine.state()) {
      for (const state of BREAKER_STATES) {
        result.observe(provider.breaker === state ? 1 : 0, { [ATTR.providerName]: provider.name, [ATTR.breakerState]: state });
      }
    }
  };
  breaker.addCallback(observeBreakers);
  const degraded = meter.createObservableGauge(METRIC.degraded, {
    unit: '1',
    description: '1 while a provider is degraded (its p90 time to first token over slowMs), 0 otherwise.',
  });
  const observeDegraded = (result: ObservableResult) => {
    for (const provider of engine.state()) result.observe(provider.degraded ? 1 : 0, { [ATTR.providerName]: provider.name });
  };
  degraded.addCallback(observeDegraded);
  /** Calls that lost a hedge race end without an event of their own; the request's attempts list them. */
  const countCancelled = (attempts: readonly Attempt[]) => {
    for (const attempt of attempts) if (attempt.outcome === 'cancelled') calls.add(1, { ...byProvider(attempt.provider), [ATTR.outcome]: 'cancelled' });
  };

  const onEvent = (event: EngineEvent): void => {
    switch (event.type) {
      case 'failure':
        // requestId 0: a direct check (probe, watch), which is not a request's call.
        if (event.requestId !== 0) calls.add(1, { ...byProvider(event.provider), [ATTR.outcome]: 'failure', ...errorAttributes(event.error) });
        return;
      case 'failover':
        failovers.add(1, { [ATTR.failoverFrom]: event.from, [ATTR.failoverTo]: event.to });
        return;
      case 'success': {
        const sets = answered(event.provider);
        calls.add(1, sets.call);
        if (event.attempts.length > 1) countCancelled(event.attempts);
        duration.record(event.ms / 1000, sets.request);
        if (event.firstTokenMs !== undefined) firstChunk.record(event.firstTokenMs / 1000, sets.request);
        if (event.usage) {
          tokens.record(event.usage.inputTokens, sets.input);
          tokens.record(event.usage.outputTokens, sets.output);
        }
        return;
      }
      case 'exhausted':
        countCancelled(event.attempts);
        duration.record(event.ms / 1000, { [ATTR.operationName]: CHAT, [ATTR.errorType]: 'exhausted' });
        return;
      case 'failed': {
        // A stream cut short after its provider committed: that call ended here, not in a `failure`.
        if (event.attempts.at(-1)?.outcome === 'success') {
          calls.add(1, { ...byProvider(event.provider), [ATTR.outcome]: 'failure', ...errorAttributes(event.error) });
        }
        countCancelled(event.attempts);
        const attributes = event.provider ? byProvider(event.provider) : { [ATTR.operationName]: CHAT };
        duration.record(event.ms / 1000, { ...attributes, [ATTR.errorType]: event.error.kind });
        return;
      }
      default:
        return;
    }
  };
  return {
    onEvent,
    detach() {
      breaker.removeCallback(observeBreakers);
      degraded.removeCallback(observeDegraded);
    },
  };
}
