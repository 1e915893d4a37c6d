import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendTestAlerts } from '../../src/alerts/drill-alert.js';
import type { Alert } from '../../src/alerts/alert.js';
import { clearSecrets } from '../../src/config/secrets.js';
import { closedPort, startReceiver, type Receiver } from './support/receiver.js';
import { sink } from './support/sinks.js';

const TOKEN = 'XOXB-drill-0123456789abcdef';

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  clearSecrets();
});

describe('sendTestAlerts', () => {
  it('sends each sink one alert marked as a drill, of the loudest kind it takes', async () => {
    const results = await sendTestAlerts(
      [
        sink({ type: 'webhook', url: receiver.url(`/hooks/${TOKEN}`), on: ['failover', 'exhausted'] }),
        sink({ type: 'slack', url: receiver.url(`/services/${TOKEN}`), on: ['recovered'] }),
      ],
      { now: () => Date.UTC(2025, 5, 1) },
    );
    expect(results).toEqual([
      { sink: expect.stringMatching(/^webhook http:\/\/127\.0\.0\.1:\d+\/…$/), ok: true, ms: expect.any(Number) },
      { sink: expect.stringMatching(/^slack 127\.0\.0\.1:\d+$/), ok: true, ms: expect.any(Number) },
    ]);
    const [webhook, slack] = receiver.bodies as [Alert, { text: string }];
    expect(webhook).toMatchObject({ kind: 'exhausted', severity: 'critical', drill: true, at: '2025-06-01T00:00:00.000Z' });
    expect(webhook.summary).toMatch(/^DRILL: .*No action needed\.$/);
    expect(slack.text).toMatch(/^:white_check_mark: \[DRILL\] understudy recovered/);
  });

  it('fails a sink it cannot reach, saying why, with no token in the result', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/hooks/${TOKEN}`;
    receiver.setMode({ kind: 'status', status: 403 });
    const results = await sendTestAlerts(
      [
        sink({ type: 'webhook', url, retries: 1 }),
        sink({ type: 'webhook', url: receiver.url(`/hooks/${TOKEN}`), retries: 0 }),
      ],
      { backoffMs: 5 },
    );
    expect(results[0]).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(results[1]).toMatchObject({ ok: false, error: 'HTTP 403: no route for ***' });
    expect(JSON.stringify(results)).not.toContain(TOKEN);
    expect(receiver.arrived).toBe(1);
  });

  it('numbers sinks whose labels would read the same', async () => {
    const results = await sendTestAlerts([
      sink({ type: 'webhook', url: receiver.url('/a-long-path-one') }),
      sink({ type: 'webhook', url: receiver.url('/a-long-path-two') }),
    ]);
    expect(results.map((result) => result.sink)).toEqual([expect.stringMatching(/\/… #1$/), expect.stringMatching(/\/… #2$/)]);
  });
});
