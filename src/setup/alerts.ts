import path from 'node:path';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/types.js';
import type { ProviderSetup } from './providers.js';

/** Alerting attached to a command's engine; `close` lets queued alerts go out, within a bound. */
export interface CommandAlerts {
  close(): Promise<void>;
}

/** How long a command's exit may wait for queued alerts: a dead sink must not hold it up. */
const FLUSH_WITHIN_MS = 10_000;

/**
 * Prepares the config's alerts for an engine (run, watch, serve): one config, every command.
 * The alerts module is loaded here, before the engine exists, so that attaching is synchronous
 * and no event between creating the engine and attaching is missed (a fleet store that was
 * already down at start-up reports it on the next microtask). Nothing loads when no sink is set.
 */
export async function prepareConfiguredAlerts(
  setup: Pick<ProviderSetup, 'config' | 'filepath'>,
  options: { readonly clock?: Clock; readonly log?: (line: string) => void } = {},
): Promise<(engine: Engine) => CommandAlerts> {
  if (setup.config.alerts.length === 0) return () => ({ close: async () => {} });
  const { attachAlerts } = await import('../alerts/dispatcher.js');
  return (engine) => {
    const alerts = attachAlerts(engine, setup.config.alerts, { ...options, cwd: configDirectory(setup) });
    return {
      async close() {
        alerts.detach();
        await alerts.flush(FLUSH_WITHIN_MS);
      },
    };
  };
}

/** Where a config's command sinks run and relative programs are found. */
export function configDirectory(setup: Pick<ProviderSetup, 'filepath'>): string {
  return setup.filepath ? path.dirname(setup.filepath) : process.cwd();
}
