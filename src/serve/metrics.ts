import type { BreakerState, Engine, EngineEvent } from '../engine/types.js';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; from a fast local answer to a long streamed one. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Prometheus has no enums: a breaker's state as a number, documented in the HELP text. */
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** The gateway's metrics, served by `GET /metrics`. */
export interface GatewayMetrics {
  /** Counts one answered HTTP request (any route) and how long it took. */
  observeHttp(route: string, status: number, seconds: number): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  /** Its content type (format 0.0.4). */
  readonly contentType: string;
  /** Stops listening to the engine. */
  dispose(): void;
}

/**
 * Metrics built from the engine's events and nothing else (requests, attempts, failures,
 * retries, failovers, breaker states, latency), plus what the gateway itself sees of HTTP.
 * The breaker gauge is seeded from `engine.state()` so every provider has a series from the
 * start, not only after its first change.
 */
export function createGatewayMetrics(engine: Engine): GatewayMetrics {
  // A registry of its own: several gateways in one process (tests, a library embedding one) must
  // not share or collide in prom-client's global registry.
  const registry = new Registry();
  const counter = (name: string, help: string, labelNames: [string] | [string, string]) => tallied(registry, name, help, labelNames);
  const histogram = (name: string, help: string, labelNames: string[]) =>
    new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [registry] });
  const requests = counter('understudy_requests_total', 'Engine requests by outcome: answered, rejected (the provider refused the request itself), aborted, exhausted (every provider failed).', ['outcome']);
  const answers = counter('understudy_answers_total', 'Requests answered, by the provider that answered.', ['provider']);
  const attempts = counter('understudy_attempts_total', 'Calls made to each provider.', ['provider']);
  const failures = counter('understudy_failures_total', 'Failed calls, by provider and kind of failure.', ['provider', 'kind']);
  const retries = counter('understudy_retries_total', 'Retries of the same provider after a retryable failure.', ['provider']);
  const failovers = counter('understudy_failovers_total', 'Requests moved from one provider to the next.', ['from', 'to']);
  const breakerChanges = counter('understudy_breaker_transitions_total', 'Breaker state changes, by provider and new state.', ['provider', 'to']);
  const breaker = new Gauge({ name: 'understudy_breaker_state', help: 'Breaker state per provider: 0 closed, 1 half-open, 2 open.', labelNames: ['provider'], registers: [registry] });
  const latency = histogram('understudy_request_duration_seconds', 'Engine request time until answered (a stream: until its end), failovers included, by answering provider.', ['provider']);
  const hedges = counter('understudy_hedges_total', 'Requests hedged: sent to a second provider (`to`) while the first (`from`) had no first token by the hedge point.', ['from', 'to']);
  const hedgedAnswers = counter('understudy_hedged_answers_total', 'Hedged requests answered, by which call won: original or hedge.', ['won_by']);
  // Read from the engine at each scrape: a rolling window changes as time passes, not only on events.
  new Gauge({
    name: 'understudy_provider_degraded',
    help: 'Whether a provider is degraded: its p90 time to first token over the window is above its slowMs (1) or not (0).',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      for (const provider of engine.state()) this.set({ provider: provider.name }, provider.degraded ? 1 : 0);
    },
  });
  new Gauge({
    name: 'understudy_provider_first_token_seconds',
    help: 'Time to first token per provider over the latency window (a complete call: the whole answer), by quantile.',
    labelNames: ['provider', 'quantile'],
    registers: [registry],
    collect() {
      this.reset();
      for (const provider of engine.state()) {
        const figures = provider.latency?.firstToken;
        if (!figures) continue;
        this.set({ provider: provider.name, quantile: '0.5' }, figures.p50Ms / 1000);
        this.set({ provider: provider.name, quantile: '0.9' }, figures.p90Ms / 1000);
        this.set({ provider: provider.name, quantile: '0.95' }, figures.p95Ms / 1000);
      }
    },
  });
  const httpRequests = counter('understudy_http_requests_total', 'HTTP requests the gateway answered, by route and status code.', ['route', 'code']);
  const httpLatency = histogram('understudy_http_request_duration_seconds', 'HTTP request time in the gateway, by route.', ['route']);

  for (const provider of engine.state()) breaker.set({ provider: provider.name }, BREAKER_VALUE[provider.breaker]);
  // One label object per value, not one per observation.
  const providerLabels = labelsOnce((provider) => ({ provider }));
  const routeLabels = labelsOnce((route) => ({ route }));

  const onEvent = (event: EngineEvent): void => {
    switch (event.type) {
      case 'attempt':
        attempts.add(event.provider);
        return;
      case 'failure':
        failures.add(event.provider, event.error.kind);
        // A fatal failure ends the request without an `exhausted` or `success` event.
        if (event.error.class === 'fatal') requests.add(event.error.kind === 'aborted' ? 'aborted' : 'rejected');
        return;
      case 'retry':
        retries.add(event.provider);
        return;
      case 'failover':
        failovers.add(event.from, event.to);
        return;
      case 'breaker':
        breaker.set({ provider: event.provider }, BREAKER_VALUE[event.to]);
        breakerChanges.add(event.provider, event.to);
        return;
      case 'exhausted':
        requests.add('exhausted');
        return;
      case 'success':
        requests.add('answered');
        answers.add(event.provider);
        latency.observe(providerLabels(event.provider), event.ms / 1000);
        if (event.attempts.some((attempt) => attempt.hedge)) hedgedAnswers.add(event.attempts.at(-1)?.hedge ? 'hedge' : 'original');
        return;
      case 'hedge':
        hedges.add(event.from, event.to);
        return;
      case 'recovered':
      case 'restart':
        return;
    }
  };
  const unsubscribe = engine.onAny(onEvent);

  return {
    observeHttp(route, status, seconds) {
      httpRequests.add(route, String(status));
      httpLatency.observe(routeLabels(route), seconds);
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
    dispose: unsubscribe,
  };
}

/** A counter counted on the request path; see `tallied`. */
interface Tally {
  add(first: string, second?: string): void;
}

/**
 * A prom-client counter whose counts are kept as plain numbers by label values and handed to it
 * when the registry is read (its `collect` hook): `inc()` builds a label object and a hash string
 * and checks the labels on every call, about a microsecond each, several times per request.
 */
function tallied(registry: Registry, name: string, help: string, labelNames: [string] | [string, string]): Tally {
  const [firstName, secondName] = labelNames;
  const pending = new Map<string, Map<string, number>>();
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const [first, bySecond] of pending) {
        for (const [second, count] of bySecond) {
          if (count === 0) continue;
          this.inc(secondName === undefined ? { [firstName]: first } : { [firstName]: first, [secondName]: second }, count);
          bySecond.set(second, 0);
        }
      }
    },
  });
  return {
    add(first, second = '') {
      let bySecond = pending.get(first);
      if (!bySecond) pending.set(first, (bySecond = new Map()));
      bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
    },
  };
}

/** Memoises the label object for each value of a one-label metric. */
function labelsOnce<L>(make: (value: string) => L): (value: string) => L {
  const made = new Map<string, L>();
  return (value) => {
    let labels = made.get(value);
    if (labels === undefined) made.set(value, (labels = make(value)));
    return labels;
  };
}
