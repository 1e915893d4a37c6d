import type { AlertKind, AlertSinkConfig } from '../config/schema.js';
import { severityOf, type Alert } from './alert.js';
import { sinkLabels } from './label.js';
import { registerSinkSecrets } from './sink-secrets.js';
import { deliver } from './sinks/deliver.js';

/** How one sink took its test alert. */
export interface TestAlertResult {
  /** A safe label (`webhook https://hooks.example.com/…`), never the URL's path or token. */
  readonly sink: string;
  readonly ok: boolean;
  readonly ms: number;
  /** Why it failed, masked. */
  readonly error?: string;
}

export interface TestAlertOptions {
  readonly fetch?: typeof fetch;
  /** Where a command sink's relative program is found: the config file's directory. */
  readonly cwd?: string;
  /** Pause before a retry; default 250 ms. */
  readonly backoffMs?: number;
  /** Wall time of the test alert; default now. */
  readonly now?: () => number;
}

/** The loudest kind a sink takes first: the drill should walk the path a real page would. */
const LOUDEST_FIRST: readonly AlertKind[] = ['exhausted', 'auth', 'breaker-open', 'failover', 'recovered'];

/** The test alert a sink receives: its loudest kind, marked `drill: true`, saying no action is needed. */
export function drillAlert(sink: AlertSinkConfig, wallMs: number): Alert {
  const kind = LOUDEST_FIRST.find((candidate) => sink.on.includes(candidate)) ?? 'failover';
  const at = new Date(wallMs).toISOString();
  return {
    kind,
    severity: severityOf[kind],
    providers: [],
    errors: [],
    startedAt: at,
    at,
    affectedRequests: 0,
    folded: 0,
    drill: true,
    summary: `DRILL: a test of the understudy ${kind} alert path. No action needed.`,
  };
}

/**
 * Sends one test alert to every sink, all at once, with the sink's own timeout and retries
 * (`understudy drill` fails when a sink cannot be reached: an alert path never tested is not
 * there). Never throws.
 */
export async function sendTestAlerts(sinks: readonly AlertSinkConfig[], options: TestAlertOptions = {}): Promise<TestAlertResult[]> {
  registerSinkSecrets(sinks);
  const labels = sinkLabels(sinks);
  const wallMs = (options.now ?? Date.now)();
  return Promise.all(
    sinks.map(async (sink, index) => {
      const startedAt = performance.now();
      const result = await deliver(sink, drillAlert(sink, wallMs), options);
      const ms = Math.round(performance.now() - startedAt);
      const sinkName = labels[index]!;
      return result.ok ? { sink: sinkName, ok: true, ms } : { sink: sinkName, ok: false, ms, error: result.error };
    }),
  );
}
