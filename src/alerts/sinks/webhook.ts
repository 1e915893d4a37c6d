import type { AlertSinkConfig } from '../../config/schema.js';
import type { Alert } from '../alert.js';
import { postJson } from './post-json.js';

type WebhookSink = Extract<AlertSinkConfig, { type: 'webhook' }>;

/** Sends one alert to a generic webhook: the alert itself as a JSON POST, with the sink's headers. */
export function sendWebhook(sink: WebhookSink, alert: Alert, fetchImpl?: typeof fetch): Promise<void> {
  return postJson(sink.url, alert, {
    timeoutMs: sink.timeoutMs,
    ...(sink.headers ? { headers: sink.headers } : {}),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
