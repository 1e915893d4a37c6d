import type { AlertSinkConfig } from '../config/schema.js';
import { registerSecret } from '../config/secrets.js';

/**
 * Registers what a sink holds that must never be printed: the whole URL (Slack and most
 * webhook URLs are bearer tokens), its path and query on their own (an error message may
 * quote only those), a password in it, and header values (an Authorization header).
 * Config loading registers interpolated URLs already; this also covers literal ones and
 * library users who build the config in code.
 */
export function registerSinkSecrets(sinks: readonly AlertSinkConfig[]): void {
  for (const sink of sinks) {
    if (sink.type === 'command') continue;
    registerSecret(sink.url);
    let url: URL;
    try {
      url = new URL(sink.url);
    } catch {
      continue;
    }
    registerSecret(url.href);
    const rest = `${url.pathname}${url.search}`;
    // A bare "/" or a short generic path ("/hook") is no secret, and masking it would mangle output.
    if (rest.length >= 8) registerSecret(rest);
    for (const segment of url.pathname.split('/')) if (segment.length >= 16) registerSecret(segment);
    if (url.password) registerSecret(decodeURIComponent(url.password));
    if (sink.type === 'webhook') for (const value of Object.values(sink.headers ?? {})) registerSecret(value);
  }
}
