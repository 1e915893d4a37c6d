import { afterEach, describe, expect, it } from 'vitest';
import { attachAlerts } from '../../src/alerts/dispatcher.js';
import type { Alert } from '../../src/alerts/alert.js';
import { clearSecrets, registerSecret } from '../../src/config/secrets.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { completion, status } from '../support/scripted-fetch.js';
import { closedPort, startReceiver } from './support/receiver.js';
import { sink } from './support/sinks.js';

const PRIMARY_KEY = 'sk-test-primary-0123456789';
const BACKUP_KEY = 'sk-test-backup-0123456789';
const TOKEN = 'B0T-t0ken-9f8e7d6c5b4a3210';

afterEach(() => clearSecrets());

describe('secrets in alerts', () => {
  it('never put a key or a webhook token in any alert body or log line, for every kind of alert', async () => {
    registerSecret(PRIMARY_KEY);
    registerSecret(BACKUP_KEY);
    const receiver = await startReceiver();
    const webhookUrl = receiver.url(`/hooks/${TOKEN}`);
    const lines: string[] = [];
    // Providers that quote the key (and, absurdly, the webhook URL) back in their errors.
    const h = harness(
      {
        primary: [status(401, `Incorrect API key provided: ${PRIMARY_KEY}`)],
        backup: [status(503, `overloaded; key ${BACKUP_KEY}; see ${webhookUrl}`)],
      },
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 1_000 } },
    );
    const alerts = attachAlerts(
      h.engine,
      [
        sink({ type: 'webhook', url: webhookUrl, throttleMs: 0, headers: { authorization: `Bearer ${TOKEN}-header` } }),
        sink({ type: 'slack', url: receiver.url(`/services/${TOKEN}`), throttleMs: 0 }),
        sink({ type: 'webhook', url: `http://127.0.0.1:${await closedPort()}/dead/${TOKEN}`, retries: 0 }),
      ],
      { clock: h.clock, log: (line) => lines.push(line) },
    );
    try {
      await expect(h.clock.settle(h.engine.complete(PROMPT))).rejects.toThrow();
      h.script('backup', [completion()]);
      await h.clock.advance(1_000);
      await h.clock.settle(h.engine.complete(PROMPT));
      await alerts.flush();

      const kinds = (receiver.bodies as Partial<Alert>[]).flatMap((body) => (body.kind ? [body.kind] : []));
      expect(new Set(kinds)).toEqual(new Set(['auth', 'failover', 'breaker-open', 'exhausted', 'recovered']));
      expect(lines).toHaveLength(1);
      const everything = [...receiver.raw, ...lines].join('\n');
      for (const secret of [PRIMARY_KEY, BACKUP_KEY, TOKEN]) expect(everything).not.toContain(secret);
      expect(everything).toContain('***');
    } finally {
      await receiver.close();
    }
  });
});
