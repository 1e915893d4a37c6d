import type { AlertSinkConfig } from '../../config/schema.js';
import { maskSecrets } from '../../config/secrets.js';
import { maskAlert, type Alert } from '../alert.js';
import { sendCommand } from './command.js';
import { sendSlack } from './slack.js';
import { sendWebhook } from './webhook.js';

/** How one alert reached (or failed to reach) one sink. */
export type DeliveryResult =
  | { readonly ok: true; readonly tries: number }
  | { readonly ok: false; readonly tries: number; /** Masked; never the URL. */ readonly error: string };

export interface DeliveryOptions {
  readonly fetch?: typeof fetch;
  /** Where a command sink runs (the config file's directory). */
  readonly cwd?: string;
  /** Pause before the first retry, doubled for each later one. */
  readonly backoffMs?: number;
}

const DEFAULT_BACKOFF_MS = 250;

/**
 * Delivers one alert to one sink: each try bounded by the sink's `timeoutMs`, then up to
 * `retries` more after a short backoff. Never throws: a failure comes back as a result,
 * its message masked, so nothing about alerting can reach a caller's request.
 */
export async function deliver(sink: AlertSinkConfig, alert: Alert, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const masked = maskAlert(alert);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  let error = '';
  for (let tries = 1; tries <= sink.retries + 1; tries++) {
    try {
      await sendOnce(sink, masked, options);
      return { ok: true, tries };
    } catch (thrown) {
      error = maskSecrets(thrown instanceof Error ? thrown.message : String(thrown));
    }
    if (tries <= sink.retries) await pause(backoffMs * 2 ** (tries - 1));
  }
  return { ok: false, tries: sink.retries + 1, error };
}

function sendOnce(sink: AlertSinkConfig, alert: Alert, options: DeliveryOptions): Promise<void> {
  switch (sink.type) {
    case 'webhook':
      return sendWebhook(sink, alert, options.fetch);
    case 'slack':
      return sendSlack(sink, alert, options.fetch);
    case 'command':
      return sendCommand(sink, alert, options.cwd);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
