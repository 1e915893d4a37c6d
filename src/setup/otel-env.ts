import { registerSecret } from '../config/secrets.js';
import { UsageError } from '../terminal/exit-codes.js';

/** What the CLI exports, decided from `--otel` and the standard OTEL_* variables. */
export interface OtelPlan {
  readonly traces: boolean;
  readonly metrics: boolean;
  /** Where traces go, for messages (the exporter reads the variables itself). */
  readonly tracesURL: string;
  readonly metricsURL: string;
  readonly metricIntervalMs: number;
  readonly metricTimeoutMs: number;
  /** One line each for the user: settings understood differently than they may expect. */
  readonly notes: readonly string[];
}

const ENDPOINTS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'] as const;
const HEADERS = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS'] as const;
const PROTOCOLS = ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL'] as const;
/** The OTLP/HTTP default when no endpoint is set (the specification's). */
const DEFAULT_ENDPOINT = 'http://localhost:4318';

/**
 * Whether and how to export: on with `--otel` or when an OTLP endpoint variable is set, off
 * with OTEL_SDK_DISABLED=true. Every OTEL_* value the exporter would only warn about (through a
 * logger nobody sees) is checked here instead, and is a usage error naming the variable. Header
 * values (tokens, most often) are registered as secrets, so no output can show them.
 */
export function otelPlan(flag: boolean, env: NodeJS.ProcessEnv): OtelPlan | undefined {
  const set = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  if (!flag && !ENDPOINTS.some((name) => set(name) !== undefined)) return undefined;
  const notes: string[] = [];
  if (set('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') {
    if (flag) notes.push('OTEL_SDK_DISABLED=true: --otel exports nothing');
    return flag ? { ...OFF, notes } : undefined;
  }
  for (const name of HEADERS) registerHeaders(name, set(name));
  for (const name of ENDPOINTS) checkEndpoint(name, set(name));
  for (const name of PROTOCOLS) {
    const protocol = set(name);
    if (protocol === undefined || protocol === 'http/json') continue;
    if (protocol === 'grpc') {
      throw new UsageError(`${name}=grpc: understudy exports OTLP over HTTP only (JSON)`, `point OTEL_EXPORTER_OTLP_ENDPOINT at the collector's HTTP port (4318) and set ${name}=http/json`);
    }
    if (protocol === 'http/protobuf') notes.push(`${name}=http/protobuf: understudy sends OTLP/HTTP as JSON, which OTLP/HTTP receivers also accept`);
    else throw new UsageError(`${name} must be http/json, http/protobuf or grpc, not "${protocol}"`);
  }
  const traces = exporterWanted('OTEL_TRACES_EXPORTER', set('OTEL_TRACES_EXPORTER'));
  const metrics = exporterWanted('OTEL_METRICS_EXPORTER', set('OTEL_METRICS_EXPORTER'));
  const base = (set('OTEL_EXPORTER_OTLP_ENDPOINT') ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  return {
    traces,
    metrics,
    tracesURL: set('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? `${base}/v1/traces`,
    metricsURL: set('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT') ?? `${base}/v1/metrics`,
    metricIntervalMs: milliseconds('OTEL_METRIC_EXPORT_INTERVAL', set('OTEL_METRIC_EXPORT_INTERVAL'), 60_000),
    metricTimeoutMs: milliseconds('OTEL_METRIC_EXPORT_TIMEOUT', set('OTEL_METRIC_EXPORT_TIMEOUT'), 30_000),
    notes,
  };
}

const OFF: OtelPlan = { traces: false, metrics: false, tracesURL: '', metricsURL: '', metricIntervalMs: 0, metricTimeoutMs: 0, notes: [] };

/** `key=value,key2=value2`, values percent-encoded (W3C baggage format, as the specification says). */
function registerHeaders(name: string, raw: string | undefined): void {
  if (raw === undefined) return;
  for (const [index, entry] of raw.split(',').entries()) {
    const at = entry.indexOf('=');
    // Never echo the entry: it is most likely a token.
    if (at <= 0 || entry.slice(0, at).trim() === '') {
      throw new UsageError(`${name}: entry ${index + 1} is not key=value (expected e.g. "authorization=Bearer%20<token>,x-team=ops")`);
    }
    const value = entry.slice(at + 1).trim();
    registerSecret(value);
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      throw new UsageError(`${name}: the value of entry ${index + 1} (${entry.slice(0, at).trim()}) is not valid percent-encoding`);
    }
    registerSecret(decoded);
    // `Bearer <token>`, `Basic <credentials>`: the token alone is masked too.
    const credential = /^\S+\s+(\S+)$/.exec(decoded)?.[1];
    if (credential) registerSecret(credential);
  }
}

function checkEndpoint(name: string, raw: string | undefined): void {
  if (raw === undefined) return;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${name} is not a URL: "${raw}"`, `e.g. ${name}=http://127.0.0.1:4318`);
  }
  if (url.password) registerSecret(decodeURIComponent(url.password));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${name} must be an http:// or https:// URL (OTLP over HTTP), not ${url.protocol}`, `e.g. ${name}=http://127.0.0.1:4318`);
  }
}

function exporterWanted(name: string, raw: string | undefined): boolean {
  if (raw === undefined) return true;
  const exporters = raw.split(',').map((item) => item.trim());
  if (exporters.includes('none')) return false;
  if (exporters.every((item) => item === 'otlp')) return true;
  throw new UsageError(`${name}=${raw}: understudy exports with otlp only`, `set ${name}=otlp, or none to export no ${name.includes('TRACES') ? 'traces' : 'metrics'}`);
}

function milliseconds(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`${name} must be a whole number of milliseconds above 0, not "${raw}"`);
  return Number(raw);
}
