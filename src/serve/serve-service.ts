import { describeWarnings, setUpProviders } from '../setup/providers.js';
import { prepareConfiguredAlerts, type CommandAlerts } from '../setup/alerts.js';
import { joinConfiguredFleet, type FleetMembership } from '../setup/fleet.js';
import { startTelemetry, type CommandTelemetry } from '../setup/telemetry.js';
import { ExitCode, UsageError } from '../terminal/exit-codes.js';
import { log, out } from '../report/output.js';
import { isLoopback } from './exposure.js';
import { tuneHeapForGateway } from './heap.js';
import { startGateway, type Gateway } from './server.js';
import { handleInterrupts } from '../terminal/interrupt.js';
import { wholeNumberOption } from '../terminal/options.js';

/** What `understudy serve` takes on the command line. */
export interface ServeCommandOptions {
  config?: string;
  json?: boolean;
  host?: string;
  port?: string;
  offline?: boolean;
  /** `--otel`: export OpenTelemetry traces and metrics. */
  otel?: boolean;
}

/**
 * `understudy serve`: loads the config, starts the gateway, prints where it listens, and serves
 * until SIGTERM (exit 0) or Ctrl-C (exit 130), letting requests in flight finish first.
 */
export async function serveCommand(options: ServeCommandOptions): Promise<number> {
  const port = options.port === undefined ? undefined : wholeNumberOption(options.port, '--port', { min: 0, max: 65_535 });
  const setup = await setUpProviders({ configPath: options.config, offline: options.offline });
  // The gateway runs in this process, with V8 tuned to a gateway's heap (heap.ts says how and why).
  const heap = tuneHeapForGateway();
  try {
    if (setup.offline) log(setup.label);
    for (const line of describeWarnings(setup.warnings)) log(line);
    const config = setup.config;
    const host = options.host ?? config.serve?.host ?? '127.0.0.1';
    const tokens = config.serve?.tokens ?? [];
    if (!isLoopback(host) && tokens.length === 0) {
      throw new UsageError(
        `refusing to listen on ${host} without client tokens: anyone who can reach it could spend your provider keys`,
        'add serve: { tokens: ["${GATEWAY_TOKEN}"] } to the config (and set GATEWAY_TOKEN), or leave --host out to stay on 127.0.0.1',
      );
    }
    const stop = handleInterrupts();
    let fleet: FleetMembership | undefined;
    let telemetry: CommandTelemetry | undefined;
    try {
      telemetry = await startTelemetry({ flag: options.otel, log });
      fleet = await joinConfiguredFleet(config, log);
      const attachAlerts = await prepareConfiguredAlerts(setup);
      let alerts: CommandAlerts | undefined;
      const gateway = await startGateway(config, {
        host,
        ...(port === undefined ? {} : { port }),
        log,
        ...(fleet.shared ? { shared: fleet.shared } : {}),
        onEngine: (engine) => {
          telemetry!.instrument(engine);
          alerts = attachAlerts(engine);
        },
      }).catch((error: unknown) => {
        throw listenError(error, host, port ?? config.serve?.port ?? 4141);
      });
      announce(gateway, tokens.length > 0, Boolean(options.json));
      const stopLog = logBreakerChanges(gateway);
      await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
      log(`understudy serve: ${stop.received === 'SIGINT' ? 'interrupted' : 'stopping'}; finishing the requests in flight (again to stop at once)`);
      await gateway.close();
      stopLog();
      await alerts?.close();
      // SIGTERM is an orchestrator stopping a healthy service: a clean exit once drained.
      return stop.received === 'SIGTERM' ? ExitCode.ok : ExitCode.interrupted;
    } finally {
      stop.dispose();
      await telemetry?.shutdown();
      await fleet?.close();
    }
  } finally {
    heap.stop();
    await setup.close();
  }
}

function announce(gateway: Gateway, tokensRequired: boolean, json: boolean): void {
  const baseURL = `${gateway.url}/v1`;
  const providers = gateway.engine.state().map((provider) => provider.name);
  if (json) {
    out(JSON.stringify({ url: gateway.url, baseURL, host: gateway.host, port: gateway.port, providers, tokensRequired }));
  } else {
    out(baseURL);
  }
  log(`understudy gateway listening at ${gateway.url} (providers: ${providers.join(' → ')}${tokensRequired ? '; client tokens required' : ''})`);
  log(`  point any OpenAI client at it: OPENAI_BASE_URL=${baseURL}`);
  log('  also: GET /healthz /readyz /metrics /events; Ctrl-C to stop');
}

/** Breaker changes are rare and worth a line each; per-request events are on /events and /metrics. */
function logBreakerChanges(gateway: Gateway): () => void {
  return gateway.engine.on('breaker', (event) => log(`understudy serve: ${event.provider}: breaker ${event.from} → ${event.to}`));
}

/** A port or address we cannot listen on is the user's to fix; anything else is a bug. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`port ${port} on ${host} is already in use`, 'pick another --port (or serve.port in the config)');
  if (code === 'EACCES') return new UsageError(`not allowed to listen on port ${port}`, 'use a port above 1023');
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new UsageError(`cannot listen on ${host}: no such local address`, 'give --host an address of this machine, or leave it out');
  return error;
}
