import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, maskSecrets } from '../../src/config/secrets.js';
import { otelPlan } from '../../src/setup/otel-env.js';
import { UsageError } from '../../src/terminal/exit-codes.js';

afterEach(() => clearSecrets());

describe('what --otel and the OTEL_* variables turn on', () => {
  it('is off without --otel and without an OTLP endpoint', () => {
    expect(otelPlan(false, {})).toBeUndefined();
    expect(otelPlan(false, { OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_HEADERS: 'a=b' })).toBeUndefined();
  });

  it('is on with --otel (the specification default endpoint) or with any OTLP endpoint variable', () => {
    expect(otelPlan(true, {})).toMatchObject({ traces: true, metrics: true, tracesURL: 'http://localhost:4318/v1/traces' });
    expect(otelPlan(false, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' })).toMatchObject({
      tracesURL: 'http://127.0.0.1:4318/v1/traces',
      metricsURL: 'http://127.0.0.1:4318/v1/metrics',
    });
    expect(otelPlan(false, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:1/t' })).toMatchObject({ tracesURL: 'http://127.0.0.1:1/t' });
  });

  it('OTEL_SDK_DISABLED=true wins; with --otel it says so', () => {
    expect(otelPlan(false, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(otelPlan(true, { OTEL_SDK_DISABLED: 'TRUE' })).toMatchObject({ traces: false, metrics: false, notes: ['OTEL_SDK_DISABLED=true: --otel exports nothing'] });
  });

  it('OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER=none turn one signal off; another exporter is a usage error', () => {
    expect(otelPlan(true, { OTEL_METRICS_EXPORTER: 'none' })).toMatchObject({ traces: true, metrics: false });
    expect(otelPlan(true, { OTEL_TRACES_EXPORTER: 'none' })).toMatchObject({ traces: false, metrics: true });
    expect(() => otelPlan(true, { OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER=zipkin: understudy exports with otlp only/);
  });

  it('grpc is refused with the way out; http/protobuf is noted', () => {
    expect(() => otelPlan(true, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(UsageError);
    expect(otelPlan(true, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' })!.notes[0]).toMatch(/as JSON/);
  });

  it('metric export interval from OTEL_METRIC_EXPORT_INTERVAL, checked', () => {
    expect(otelPlan(true, { OTEL_METRIC_EXPORT_INTERVAL: '1000' })!.metricIntervalMs).toBe(1000);
    expect(() => otelPlan(true, { OTEL_METRIC_EXPORT_INTERVAL: '1s' })).toThrow(/OTEL_METRIC_EXPORT_INTERVAL must be a whole number/);
  });

  it('header values and an endpoint password become secrets, masked in every output', () => {
    otelPlan(true, {
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20tok-123456,x-team=agents',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'api-key=metrics-key-7788',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:pa55word-xyz@collector.example/otlp',
    });
    expect(maskSecrets('Bearer tok-123456 / Bearer%20tok-123456 / token tok-123456 / metrics-key-7788 / pa55word-xyz')).toBe('*** / *** / token *** / *** / ***');
  });

  it('a malformed header list names the variable and the entry, never its value', () => {
    let message = '';
    try {
      otelPlan(true, { OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'a=b,secret-token-without-key' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('OTEL_EXPORTER_OTLP_TRACES_HEADERS: entry 2 is not key=value');
    expect(message).not.toContain('secret-token-without-key');
  });
});
