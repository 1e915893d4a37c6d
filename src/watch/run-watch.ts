import { describeWarnings, setUpProviders } from '../setup/providers.js';
import type { UnderstudyConfig } from '../config/schema.js';
import { isInteractive } from '../terminal/colour.js';
import { ExitCode } from '../terminal/exit-codes.js';
import { handleInterrupts } from '../terminal/interrupt.js';
import { log, out } from '../report/output.js';
import { roundIsHealthy, type HealthUpdate, type RoundUpdate } from './health-source.js';
import { jsonLine } from './json-output.js';
import { DEFAULT_INTERVAL_MS, OFFLINE_INTERVAL_MS, parseInterval, type WatchOptions } from './options.js';
import { eventLine, onceReport, roundLine } from './plain-output.js';
import { createProbeSource } from './probe-source.js';
import { untilAborted } from './until-aborted.js';

/** What is being watched and how to let it go. */
interface Target {
  readonly config: UnderstudyConfig;
  readonly label: string;
  close(): Promise<void>;
}

/**
 * `understudy watch`: probes every provider on an interval through one engine and shows it —
 * an Ink board on a terminal, plain lines (or JSON lines) elsewhere, one round with `--once`.
 * Resolves the exit code.
 */
export async function runWatch(options: WatchOptions): Promise<number> {
  // Every option is checked before anything starts, so a usage error leaves nothing running.
  const intervalMs = parseInterval(options.interval, options.offline ? OFFLINE_INTERVAL_MS : DEFAULT_INTERVAL_MS);
  const target = await openTarget(options);
  const interrupt = handleInterrupts();
  const source = createProbeSource({ config: target.config, intervalMs, kind: options.completion ? 'completion' : 'models' });
  try {
    if (options.once) return await once(source, options, interrupt.signal);
    if (isInteractive() && !options.json) {
      // Ink and React load only here: half a second nobody else should pay. React's development
      // build (its default) checks and warns on every render; a long-running board wants the lean one.
      process.env['NODE_ENV'] ??= 'production';
      const { renderWatch } = await import('../ui/watch/render-watch.js');
      source.start();
      const ending = await renderWatch(source, { title: target.label, signal: interrupt.signal });
      return ending === 'quit' ? ExitCode.ok : ExitCode.interrupted;
    }
    return await stream(source, target, options, interrupt.signal);
  } finally {
    await source.close();
    await target.close();
    interrupt.dispose();
  }
}

async function openTarget(options: WatchOptions): Promise<Target> {
  const setup = await setUpProviders({
    configPath: options.config,
    offline: options.offline,
    // Demo settings, so `f 1` turns the primary red in seconds rather than after a minute.
    offlineSettings: { breaker: { failureThreshold: 2, cooldownMs: 10_000 } },
  });
  for (const line of describeWarnings(setup.warnings)) log(line);
  return { config: setup.config, label: setup.offline ? 'offline demo (mock providers)' : setup.label, close: () => setup.close() };
}

/** One round, printed; 0 when every provider answered, 1 otherwise. */
async function once(source: ReturnType<typeof createProbeSource>, options: WatchOptions, signal: AbortSignal): Promise<number> {
  const round = new Promise<RoundUpdate>((resolve) => {
    const unsubscribe = source.subscribe((update) => {
      if (update.type !== 'round') return;
      unsubscribe();
      resolve(update);
    });
  });
  source.start();
  const result = await Promise.race([round, untilAborted(signal)]);
  if (result === undefined) return ExitCode.interrupted;
  const healthy = roundIsHealthy(result);
  if (options.json) out(jsonLine(result));
  else out(onceReport(result, healthy, process.stdout.columns));
  return healthy ? ExitCode.ok : ExitCode.problem;
}

/** Plain or JSON lines until Ctrl-C. */
async function stream(source: ReturnType<typeof createProbeSource>, target: Target, options: WatchOptions, signal: AbortSignal): Promise<number> {
  const providers = target.config.providers.map((provider) => provider.name).join(', ');
  log(`understudy watch: ${target.label}; ${providers}; ${source.description}; Ctrl-C to stop`);
  source.subscribe((update: HealthUpdate) => {
    if (options.json) out(jsonLine(update));
    else if (update.type === 'round') out(roundLine(update));
    // A forced failure or a reset needs the keyboard, so only state changes come through here.
    else out(eventLine(update.event));
  });
  source.start();
  await untilAborted(signal);
  return ExitCode.interrupted;
}
