import type { AlertSinkConfig } from '../config/schema.js';
import { maskSecrets } from '../config/secrets.js';
import { systemClock, type Clock } from '../engine/clock.js';
import type { Engine, EngineEvent } from '../engine/types.js';
import { log as logToStderr } from '../report/output.js';
import { AlertTracker } from './from-events.js';
import { SinkChannel, type SinkCounts } from './sink-channel.js';
import { registerSinkSecrets } from './sink-secrets.js';

export interface AttachAlertsOptions {
  /** The clock the engine was created with (default the system clock): event times are read on it. */
  readonly clock?: Clock;
  /** Where a delivery failure is reported (once per sink); default stderr. Lines are masked. */
  readonly log?: (line: string) => void;
  /** For webhook and Slack sinks; default the global fetch. */
  readonly fetch?: typeof fetch;
  /** Where a command sink's relative program is found and run: the config file's directory. */
  readonly cwd?: string;
  /** Pause before a delivery's first retry (doubled per retry); default 250 ms. */
  readonly backoffMs?: number;
  /** Alerts waiting per sink before more are dropped; default 100. */
  readonly maxQueued?: number;
}

/** What alerting has done so far, summed over sinks. */
export interface AlertStats extends SinkCounts {
  /** Alerts held back by a sink's throttle (reported as `folded` on a later alert). */
  throttled: number;
}

/** Alerting attached to one engine. */
export interface AlertsHandle {
  /**
   * Waits for every queued delivery to finish (call it before the process exits). With
   * `withinMs`, waits no longer than that: a dead sink must not hold up a command's exit by
   * its timeout times its retries times its queue.
   */
  flush(withinMs?: number): Promise<void>;
  stats(): AlertStats;
  /** Stops listening to the engine; deliveries already queued still go out (await `flush`). */
  detach(): void;
}

/**
 * Sends alerts for an engine's events to the configured sinks. The engine listener only
 * decides and queues — it never waits and never throws — so a slow or dead sink cannot slow
 * or break a request. Each sink has its own throttle (its `throttleMs`) and kinds (its `on`).
 *
 *     const engine = createEngine(config, { clock });
 *     const alerts = attachAlerts(engine, config.alerts, { clock, cwd: path.dirname(filepath) });
 *     ...
 *     await alerts.flush();
 */
export function attachAlerts(engine: Engine, sinks: readonly AlertSinkConfig[], options: AttachAlertsOptions = {}): AlertsHandle {
  registerSinkSecrets(sinks);
  const clock = options.clock ?? systemClock;
  // Alerts carry wall time; the engine's clock is only good for differences.
  const wallOffset = Date.now() - clock.now();
  const log = options.log ?? logToStderr;
  const deliveryOptions = {
    log,
    maxQueued: options.maxQueued ?? 100,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
  };
  const routes = sinks.map((sink) => ({
    tracker: new AlertTracker({ throttleMs: sink.throttleMs, on: sink.on, toWallTime: (at) => wallOffset + at }),
    channel: new SinkChannel(sink, deliveryOptions),
  }));

  const onEvent = (event: EngineEvent) => {
    for (const { tracker, channel } of routes) {
      try {
        for (const alert of tracker.handle(event)) channel.send(alert);
      } catch (error) {
        // A bug here must cost an alert, never a request.
        process.emitWarning(maskSecrets(`understudy: alerting failed on a "${event.type}" event: ${String(error)}`));
      }
    }
  };
  const unsubscribe = sinks.length > 0 ? engine.onAny(onEvent) : () => {};

  return {
    async flush(withinMs) {
      const idle = Promise.all(routes.map(({ channel }) => channel.idle()));
      if (withinMs === undefined) return void (await idle);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, withinMs);
      });
      await Promise.race([idle, deadline]);
      clearTimeout(timer);
    },
    stats() {
      const total: AlertStats = { sent: 0, failed: 0, dropped: 0, throttled: 0 };
      for (const { tracker, channel } of routes) {
        total.sent += channel.counts.sent;
        total.failed += channel.counts.failed;
        total.dropped += channel.counts.dropped;
        total.throttled += tracker.throttled;
      }
      return total;
    },
    detach() {
      unsubscribe();
    },
  };
}
