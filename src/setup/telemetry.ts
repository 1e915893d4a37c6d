import type { Engine } from '../engine/types.js';
import { UsageError } from '../terminal/exit-codes.js';
import { otelPlan, type OtelPlan } from './otel-env.js';

/** A command's OpenTelemetry export, or nothing at all when it was not asked for. */
export interface CommandTelemetry {
  /** Exports the engine's spans and metrics (nothing when telemetry is off). */
  instrument(engine: Engine): void;
  /** Ends open spans, sends what is buffered and stops; bounded, so a dead collector cannot hold the exit. */
  shutdown(): Promise<void>;
}

const OFF: CommandTelemetry = { instrument: () => {}, shutdown: async () => {} };

/** The longest a command waits at exit for the last spans and metrics to be sent. */
const FLUSH_LIMIT_MS = 5_000;

/** The optional packages, as the message tells users to install them. */
const SDK_PACKAGES = [
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/resources',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-http',
];

/**
 * `--otel` or an OTLP endpoint in the environment: an OTLP/HTTP exporter for traces and metrics,
 * with the SDK (optional dependencies) loaded only now. Without either, nothing is loaded and
 * every engine runs uninstrumented, at no cost per request.
 */
export async function startTelemetry(options: { flag?: boolean; env?: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<CommandTelemetry> {
  const plan = otelPlan(options.flag === true, options.env ?? process.env);
  if (!plan) return OFF;
  for (const note of plan.notes) options.log(`understudy: ${note}`);
  if (!plan.traces && !plan.metrics) return OFF;
  const sdk = await loadSdk();
  return exportWith(sdk, plan, options.log);
}

type Sdk = Awaited<ReturnType<typeof importSdk>>;

async function importSdk() {
  const [api, traces, metrics, resources, traceExporter, metricExporter, instrument] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/exporter-metrics-otlp-http'),
    import('../telemetry/instrument.js'),
  ]);
  return { api, traces, metrics, resources, traceExporter, metricExporter, instrument: instrument.instrument };
}

async function loadSdk(): Promise<Sdk> {
  try {
    return await importSdk();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new UsageError(
      'OpenTelemetry export needs the OpenTelemetry SDK, an optional dependency of understudy that is not installed here',
      `npm install ${SDK_PACKAGES.join(' ')}`,
    );
  }
}

function exportWith(sdk: Sdk, plan: OtelPlan, log: (line: string) => void): CommandTelemetry {
  const { api, traces, metrics, resources, traceExporter, metricExporter } = sdk;
  const tell = reportExportErrors(api, log);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over these defaults.
  const resource = resources
    .resourceFromAttributes({ 'service.name': 'understudy', 'service.version': process.env['npm_package_version'] ?? '0.1.0' })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  // The exporters read OTEL_EXPORTER_OTLP_* (endpoints, headers, timeout, compression) themselves;
  // the batch processor reads OTEL_BSP_*.
  const tracerProvider = plan.traces
    ? new traces.BasicTracerProvider({ resource, spanProcessors: [new traces.BatchSpanProcessor(new traceExporter.OTLPTraceExporter())] })
    : undefined;
  const meterProvider = plan.metrics
    ? new metrics.MeterProvider({
        resource,
        readers: [
          new metrics.PeriodicExportingMetricReader({
            exporter: new metricExporter.OTLPMetricExporter(),
            exportIntervalMillis: plan.metricIntervalMs,
            exportTimeoutMillis: Math.min(plan.metricTimeoutMs, plan.metricIntervalMs),
          }),
        ],
      })
    : undefined;
  const tracer = (tracerProvider ?? api.trace.getTracerProvider()).getTracer('understudy');
  const meter = (meterProvider ?? api.metrics.getMeterProvider()).getMeter('understudy');
  const detachers: (() => void)[] = [];
  log(`understudy: exporting OpenTelemetry ${[plan.traces ? `traces to ${plan.tracesURL}` : '', plan.metrics ? `metrics to ${plan.metricsURL}` : ''].filter(Boolean).join(', ')}`);
  return {
    instrument(engine) {
      detachers.push(sdk.instrument(engine, { tracer, meter }));
    },
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), FLUSH_LIMIT_MS);
      });
      // Shutting down flushes: a final collection of metrics (while the breaker gauges can still
      // be read), then the spans, once those of requests still in flight are ended.
      const done = (async () => {
        await meterProvider?.shutdown().catch((error: unknown) => tell('metrics export failed:', error));
        for (const detach of detachers.splice(0)) detach();
        await tracerProvider?.shutdown().catch((error: unknown) => tell('traces export failed:', error));
      })();
      const outcome = await Promise.race([done, limit]);
      clearTimeout(timer);
      if (outcome === 'late') {
        log(`understudy: gave up sending the last OpenTelemetry data after ${FLUSH_LIMIT_MS / 1000} s (is the collector at ${plan.traces ? plan.tracesURL : plan.metricsURL} up?)`);
      }
    },
  };
}

/**
 * The SDK reports a failed export through its diagnostic logger, which is silent by default: a
 * collector that is down would go unnoticed. Each distinct failure is told once, on stderr
 * (which masks every registered secret, header values included).
 */
function reportExportErrors(api: Sdk['api'], log: (line: string) => void): (...parts: unknown[]) => void {
  const told = new Set<string>();
  const tell = (message: unknown, ...rest: unknown[]) => {
    const text = [message, ...rest].map(errorText).join(' ').split('\n')[0]!.slice(0, 300);
    if (told.has(text)) return;
    told.add(text);
    log(`understudy: OpenTelemetry: ${text}`);
  };
  const quiet = () => {};
  api.diag.setLogger({ error: tell, warn: quiet, info: quiet, debug: quiet, verbose: quiet }, api.DiagLogLevel.ERROR);
  return tell;
}

/** The SDK's error handler hands over errors as JSON (message, stack): only the message is told. */
function errorText(part: unknown): string {
  if (part instanceof Error) return part.message;
  const text = String(part);
  if (!text.startsWith('{')) return text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown; stack?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
    if (typeof parsed.stack === 'string') return parsed.stack.replace(/^Error: /, '');
  } catch {
    // Not JSON after all: told as it is.
  }
  return text;
}
