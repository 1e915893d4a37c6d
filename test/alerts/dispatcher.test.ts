import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachAlerts } from '../../src/alerts/dispatcher.js';
import type { Alert } from '../../src/alerts/alert.js';
import { clearSecrets, registerSecret } from '../../src/config/secrets.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { completion, status } from '../support/scripted-fetch.js';
import { closedPort, startReceiver, type Receiver } from './support/receiver.js';
import { sink } from './support/sinks.js';

const PRIMARY_KEY = 'sk-test-primary-0123456789';
const BACKUP_KEY = 'sk-test-backup-0123456789';
const TOKEN = 'T0K3N-a1b2c3d4e5f6a7b8';

let receiver: Receiver;
beforeEach(async () => {
  registerSecret(PRIMARY_KEY);
  registerSecret(BACKUP_KEY);
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  clearSecrets();
});

const alertsOf = (r: Receiver) => r.bodies as Alert[];

describe('attachAlerts over a real engine', () => {
  it('sends exactly one failover alert for 20 failovers in the window, then one with the 19 folded in', async () => {
    const h = harness(
      { primary: [status(503)], backup: [completion()] },
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1_000 } },
    );
    const alerts = attachAlerts(h.engine, [sink({ type: 'webhook', url: receiver.url(`/hooks/${TOKEN}`), on: ['failover'], throttleMs: 60_000 })], {
      clock: h.clock,
      log: () => {},
    });
    for (let i = 0; i < 20; i++) {
      await h.clock.settle(h.engine.complete(PROMPT));
      await h.clock.advance(1_000);
    }
    await alerts.flush();
    expect(alertsOf(receiver)).toHaveLength(1);
    expect(alertsOf(receiver)[0]).toMatchObject({ kind: 'failover', severity: 'warning', providers: ['primary'], affectedRequests: 1, folded: 0 });
    expect(alerts.stats()).toEqual({ sent: 1, failed: 0, dropped: 0, throttled: 19 });

    await h.clock.advance(40_000); // 60 s after the first alert
    await h.clock.settle(h.engine.complete(PROMPT));
    await alerts.flush();
    expect(alertsOf(receiver)).toHaveLength(2);
    expect(alertsOf(receiver)[1]).toMatchObject({ kind: 'failover', affectedRequests: 21, folded: 19 });
    expect(alertsOf(receiver)[1]!.errors).toEqual([{ provider: 'primary', class: 'retryable', kind: 'server', status: 503, message: 'status 503' }]);
    expect(new Date(alertsOf(receiver)[1]!.at).getTime() - new Date(alertsOf(receiver)[1]!.startedAt).getTime()).toBe(60_000);
  });

  it('delivers exhausted, then recovered, in that order', async () => {
    const h = harness(
      { primary: [status(503)], backup: [status(500)] },
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 5_000 } },
    );
    const alerts = attachAlerts(h.engine, [sink({ type: 'webhook', url: receiver.url('/page'), on: ['exhausted', 'recovered'] })], {
      clock: h.clock,
      log: () => {},
    });
    await expect(h.clock.settle(h.engine.complete(PROMPT))).rejects.toThrow();
    h.script('primary', [completion('back')]);
    await h.clock.advance(5_000);
    expect((await h.clock.settle(h.engine.complete(PROMPT))).provider).toBe('primary');
    await alerts.flush();
    expect(alertsOf(receiver).map((alert) => alert.kind)).toEqual(['exhausted', 'recovered']);
    expect(alertsOf(receiver)[0]).toMatchObject({ severity: 'critical', providers: ['primary', 'backup'], affectedRequests: 1 });
    expect(alertsOf(receiver)[1]).toMatchObject({ severity: 'info', providers: ['primary'], startedAt: alertsOf(receiver)[0]!.startedAt });
    expect(alertsOf(receiver)[1]!.summary).toContain('5s');
  });

  it('raises an auth alert on a 401 without the key, though failover answered the request', async () => {
    const h = harness({ primary: [status(401, `Incorrect API key provided: ${PRIMARY_KEY}`)], backup: [completion()] });
    const alerts = attachAlerts(h.engine, [sink({ type: 'webhook', url: receiver.url('/auth'), on: ['auth'] })], { clock: h.clock, log: () => {} });
    expect((await h.clock.settle(h.engine.complete(PROMPT))).provider).toBe('backup');
    await alerts.flush();
    expect(alertsOf(receiver)).toHaveLength(1);
    expect(alertsOf(receiver)[0]).toMatchObject({ kind: 'auth', severity: 'critical', providers: ['primary'], affectedRequests: 1 });
    expect(alertsOf(receiver)[0]!.errors[0]).toMatchObject({ provider: 'primary', class: 'provider-only', kind: 'auth', status: 401 });
    expect(receiver.raw.join('\n')).not.toContain(PRIMARY_KEY);
    expect(alertsOf(receiver)[0]!.errors[0]!.message).toContain('***');
  });

  it('sends the Slack payload: text for the notification, blocks for the message', async () => {
    const h = harness({ primary: [status(503)], backup: [completion()] }, { retry: { maxRetries: 0 } });
    const alerts = attachAlerts(h.engine, [sink({ type: 'slack', url: receiver.url(`/services/${TOKEN}`), on: ['failover'] })], {
      clock: h.clock,
      log: () => {},
    });
    await h.clock.settle(h.engine.complete(PROMPT));
    await alerts.flush();
    const [payload] = receiver.bodies as { text: string; blocks: { type: string; text?: { type: string; text: string } }[] }[];
    expect(payload!.text).toMatch(/^:warning: understudy failover \(warning\): primary is failing; traffic moved to backup/);
    expect(payload!.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: payload!.text } });
    expect(payload!.blocks.map((block) => block.type)).toEqual(['section', 'context', 'section']);
    expect(payload!.blocks[2]!.text!.text).toContain('*primary* 503 server (retryable)');
  });
});

describe('a dead sink', () => {
  it('neither slows nor breaks requests, and costs one log line per sink with no token in it', async () => {
    const hanging = await startReceiver({ kind: 'hang' });
    const refusedUrl = `http://127.0.0.1:${await closedPort()}/hooks/${TOKEN}`;
    const lines: string[] = [];
    const h = harness({ primary: [status(503)], backup: [completion()] }, { retry: { maxRetries: 0 } });
    const alerts = attachAlerts(
      h.engine,
      [
        sink({ type: 'webhook', url: refusedUrl, on: ['failover'], throttleMs: 0, timeoutMs: 200, retries: 1 }),
        sink({ type: 'slack', url: hanging.url(`/services/${TOKEN}`), on: ['failover'], timeoutMs: 1_000, retries: 0 }),
      ],
      { clock: h.clock, log: (line) => lines.push(line), backoffMs: 10 },
    );
    try {
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await h.clock.settle(h.engine.complete(PROMPT)));
      expect(results.map((result) => result.provider)).toEqual(['backup', 'backup', 'backup']);
      expect(h.clock.now()).toBe(0);
      // Every request was answered while the hanging sink still holds its delivery.
      expect(hanging.arrived).toBe(1);
      const flushed = alerts.flush().then(() => 'flushed');
      expect(await Promise.race([flushed, new Promise((resolve) => setImmediate(() => resolve('in flight')))])).toBe('in flight');

      await flushed;
      // Three failovers to the refused sink (no throttle), one to the hanging one (throttled).
      expect(alerts.stats()).toEqual({ sent: 0, failed: 4, dropped: 0, throttled: 2 });
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^alerts: could not send a failover alert to webhook http:\/\/127\.0\.0\.1:\d+\/… \(2 tries\): .*ECONNREFUSED/);
      expect(lines[1]).toMatch(/^alerts: could not send a failover alert to slack 127\.0\.0\.1:\d+ \(1 try\): no answer within 1000 ms/);
      for (const line of lines) {
        expect(line).not.toContain(TOKEN);
        expect(line).not.toContain('/hooks/');
      }
    } finally {
      await hanging.close();
    }
  });

  it('masks a receiver that quotes the URL back in its error', async () => {
    receiver.setMode({ kind: 'status', status: 404 });
    const lines: string[] = [];
    const h = harness({ primary: [status(503)], backup: [completion()] }, { retry: { maxRetries: 0 } });
    const alerts = attachAlerts(h.engine, [sink({ type: 'webhook', url: receiver.url(`/hooks/${TOKEN}`), retries: 0 })], {
      clock: h.clock,
      log: (line) => lines.push(line),
    });
    await h.clock.settle(h.engine.complete(PROMPT));
    await alerts.flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('HTTP 404: no route for ***');
    expect(lines[0]).not.toContain(TOKEN);
  });
});

describe('a sink that cannot keep up', () => {
  it('drops alerts beyond its queue, counts them, and says so once', async () => {
    const hanging = await startReceiver({ kind: 'hang' });
    const lines: string[] = [];
    const h = harness({ primary: [status(503)], backup: [completion()] }, { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1_000 } });
    const alerts = attachAlerts(
      h.engine,
      [sink({ type: 'webhook', url: hanging.url('/slow'), on: ['failover'], throttleMs: 0, timeoutMs: 200, retries: 0 })],
      { clock: h.clock, log: (line) => lines.push(line), maxQueued: 2 },
    );
    try {
      for (let i = 0; i < 5; i++) await h.clock.settle(h.engine.complete(PROMPT));
      await alerts.flush();
      expect(alerts.stats()).toEqual({ sent: 0, failed: 2, dropped: 3, throttled: 0 });
      expect(lines).toEqual([
        expect.stringMatching(/is not keeping up; dropping alerts beyond 2 queued/),
        expect.stringMatching(/could not send a failover alert/),
      ]);
    } finally {
      await hanging.close();
    }
  });
});

describe('flush', () => {
  it('gives up waiting after withinMs while a delivery hangs', async () => {
    const hanging = await startReceiver({ kind: 'hang' });
    const h = harness({ primary: [status(503)], backup: [completion()] }, { retry: { maxRetries: 0 } });
    const alerts = attachAlerts(h.engine, [sink({ type: 'webhook', url: hanging.url('/slow'), on: ['failover'], timeoutMs: 5_000, retries: 0 })], {
      clock: h.clock,
      log: () => {},
    });
    try {
      await h.clock.settle(h.engine.complete(PROMPT));
      await alerts.flush(50);
      expect(hanging.arrived).toBe(1);
      expect(alerts.stats()).toMatchObject({ sent: 0, failed: 0 });
    } finally {
      await hanging.close();
      await alerts.flush();
    }
  });
});

describe('detach', () => {
  it('stops alerting on later events', async () => {
    const h = harness({ primary: [status(503)], backup: [completion()] }, { retry: { maxRetries: 0 } });
    const alerts = attachAlerts(h.engine, [sink({ type: 'webhook', url: receiver.url('/x'), throttleMs: 0 })], { clock: h.clock, log: () => {} });
    alerts.detach();
    await h.clock.settle(h.engine.complete(PROMPT));
    await alerts.flush();
    expect(receiver.bodies).toEqual([]);
  });
});
