import { describeWarnings, setUpProviders } from '../setup/providers.js';
import { isInteractive } from '../terminal/colour.js';
import { ExitCode } from '../terminal/exit-codes.js';
import { handleInterrupts } from '../terminal/interrupt.js';
import { log, out } from '../report/output.js';
import { parseAttach, type AttachTarget } from './attach.js';
import { roundIsHealthy, syncIsHealthy, type HealthSource, type HealthUpdate, type RoundUpdate, type SyncUpdate } from './health-source.js';
import { jsonLine } from './json-output.js';
import { DEFAULT_INTERVAL_MS, OFFLINE_INTERVAL_MS, parseInterval, type WatchOptions } from './options.js';
import { eventLine, onceReport, onceSyncReport, roundLine, syncLine } from './plain-output.js';
import { untilAborted } from './until-aborted.js';
import type { WatchEvent } from './watch-events.js';

/** What is being watched, through which source, and how to let it go. */
interface Watched {
  readonly source: HealthSource & { start(): void };
  /** For the title and the first line: the config, the offline demo, `attached to …`. */
  readonly label: string;
  /** Provider names for the first line, when known before the first update. */
  readonly providers?: readonly string[];
  close(): Promise<void>;
}

/**
 * `understudy watch`: probes every provider on an interval through one engine — or, with
 * `--attach`, follows a gateway's events or a fleet's shared keys — and shows it: an Ink board
 * on a terminal, plain lines (or JSON lines) elsewhere, one round or snapshot with `--once`.
 * Resolves the exit code.
 */
export async function runWatch(options: WatchOptions): Promise<number> {
  // Every option is checked before anything starts, so a usage error leaves nothing running.
  const attach = parseAttach(options);
  const intervalMs = parseInterval(options.interval, options.offline ? OFFLINE_INTERVAL_MS : DEFAULT_INTERVAL_MS);
  const watched = attach ? await openAttached(attach, options, intervalMs) : await openProbe(options, intervalMs);
  const { source } = watched;
  const interrupt = handleInterrupts();
  try {
    if (options.once) return await once(source, options, interrupt.signal);
    if (isInteractive() && !options.json) {
      // Ink and React load only here: half a second nobody else should pay. React's development
      // build (its default) checks and warns on every render; a long-running board wants the lean one.
      process.env['NODE_ENV'] ??= 'production';
      const { renderWatch } = await import('../ui/watch/render-watch.js');
      source.start();
      const ending = await renderWatch(source, { title: watched.label, signal: interrupt.signal });
      return ending === 'quit' ? ExitCode.ok : ExitCode.interrupted;
    }
    return await stream(watched, options, interrupt.signal);
  } finally {
    await source.close();
    await watched.close();
    interrupt.dispose();
  }
}

async function openProbe(options: WatchOptions, intervalMs: number): Promise<Watched> {
  const setup = await setUpProviders({
    configPath: options.config,
    offline: options.offline,
    // Demo settings, so `f 1` turns the primary red in seconds rather than after a minute.
    offlineSettings: { breaker: { failureThreshold: 2, cooldownMs: 10_000 } },
  });
  for (const line of describeWarnings(setup.warnings)) log(line);
  // Loaded only for the local probe: it brings the engine and the SDK.
  const { createProbeSource } = await import('./probe-source.js');
  return {
    source: createProbeSource({ config: setup.config, intervalMs, kind: options.completion ? 'completion' : 'models' }),
    label: setup.offline ? 'offline demo (mock providers)' : setup.label,
    providers: setup.config.providers.map((provider) => provider.name),
    close: () => setup.close(),
  };
}

/**
 * A gateway needs nothing local. A fleet takes an optional `--config`: Redis holds only open
 * breakers, so without the config's providers a closed provider is invisible and the failover
 * order (where traffic goes) unknown; with it, every provider is a row, in order, with its model.
 */
async function openAttached(attach: AttachTarget, options: WatchOptions, intervalMs: number): Promise<Watched> {
  if (attach.kind === 'gateway') {
    const { createGatewaySource } = await import('./gateway-source.js');
    const source = createGatewaySource({ url: attach.url, ...(attach.token ? { token: attach.token } : {}) });
    return { source, label: `attached to ${source.attached}`, close: async () => {} };
  }
  const setup = options.config === undefined ? undefined : await setUpProviders({ configPath: options.config });
  for (const line of describeWarnings(setup?.warnings ?? [])) log(line);
  const { createFleetSource } = await import('./fleet-source.js');
  const source = createFleetSource({
    url: attach.url,
    prefix: options.prefix ?? setup?.config.state?.prefix ?? 'understudy',
    intervalMs,
    ...(setup ? { providers: setup.config.providers.map(({ name, model }) => ({ name, model })) } : {}),
  });
  return {
    source,
    label: `attached to ${source.attached}`,
    ...(setup ? { providers: setup.config.providers.map((provider) => provider.name) } : {}),
    close: async () => {},
  };
}

/**
 * One round (local probe) or one sync (attached), printed. Exit 0 when every provider answered
 * (probe) or every breaker is closed (attached), 1 otherwise — also when an attached source
 * cannot reach what it watches.
 */
async function once(source: Watched['source'], options: WatchOptions, signal: AbortSignal): Promise<number> {
  const first = new Promise<RoundUpdate | SyncUpdate | Extract<HealthUpdate, { type: 'event' }>>((resolve) => {
    const unsubscribe = source.subscribe((update) => {
      const lost = update.type === 'event' && update.event.type === 'link' && update.event.state === 'disconnected';
      if (update.type !== 'round' && update.type !== 'sync' && !lost) return;
      unsubscribe();
      resolve(update);
    });
  });
  source.start();
  const result = await Promise.race([first, untilAborted(signal)]);
  if (result === undefined) return ExitCode.interrupted;
  if (result.type === 'event') {
    if (options.json) out(jsonLine(result));
    else log(`understudy watch: ${describeLoss(result.event)}`);
    return ExitCode.problem;
  }
  const healthy = result.type === 'round' ? roundIsHealthy(result) : syncIsHealthy(result);
  if (options.json) out(jsonLine(result));
  else if (result.type === 'round') out(onceReport(result, healthy, process.stdout.columns));
  else out(onceSyncReport(result, healthy, process.stdout.columns));
  return healthy ? ExitCode.ok : ExitCode.problem;
}

function describeLoss(event: WatchEvent): string {
  return event.type === 'link' ? `could not reach ${event.target}${event.detail ? `: ${event.detail}` : ''}` : 'could not reach it';
}

/** Plain or JSON lines until Ctrl-C. */
async function stream(watched: Watched, options: WatchOptions, signal: AbortSignal): Promise<number> {
  const { source } = watched;
  const providers = watched.providers ? `; ${watched.providers.join(', ')}` : '';
  log(`understudy watch: ${watched.label}${providers}; ${source.description}; Ctrl-C to stop`);
  source.subscribe((update: HealthUpdate) => {
    // A `changed` update only redraws the board.
    if (update.type === 'changed') return;
    if (options.json) out(jsonLine(update));
    else if (update.type === 'round') out(roundLine(update));
    else if (update.type === 'sync') out(syncLine(update));
    // A forced failure or a reset needs the keyboard, so only state changes come through here.
    else out(eventLine(update.event));
  });
  source.start();
  await untilAborted(signal);
  return ExitCode.interrupted;
}
