import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drillAlert } from '../../src/alerts/drill-alert.js';
import { deliver } from '../../src/alerts/sinks/deliver.js';
import { attachAlerts } from '../../src/alerts/dispatcher.js';
import type { Alert } from '../../src/alerts/alert.js';
import { clearSecrets, registerSecret } from '../../src/config/secrets.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { completion, status } from '../support/scripted-fetch.js';
import { sink } from './support/sinks.js';

/** A program that copies its stdin (and the kind from its environment) into the file named by its first argument. */
const RECORD_STDIN = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => require('node:fs').writeFileSync(process.argv[1], JSON.stringify({ input, kind: process.env.UNDERSTUDY_ALERT_KIND })));
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'understudy-alerts-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  clearSecrets();
});

describe('command sink', () => {
  it('runs the program with the alert as JSON on stdin, without a shell', async () => {
    const out = path.join(dir, 'alert.json');
    const key = 'sk-test-primary-0123456789';
    registerSecret(key);
    const h = harness({ primary: [status(503, `upstream said no to ${key}`)], backup: [completion()] }, { retry: { maxRetries: 0 } });
    const alerts = attachAlerts(
      h.engine,
      [sink({ type: 'command', run: process.execPath, args: ['-e', RECORD_STDIN, out], on: ['failover'] })],
      { clock: h.clock, log: () => {} },
    );
    await h.clock.settle(h.engine.complete(PROMPT));
    await alerts.flush();
    const recorded = JSON.parse(readFileSync(out, 'utf8')) as { input: string; kind: string };
    expect(recorded.kind).toBe('failover');
    const alert = JSON.parse(recorded.input) as Alert;
    expect(alert).toMatchObject({ kind: 'failover', providers: ['primary'], affectedRequests: 1 });
    expect(recorded.input).not.toContain(key);
    expect(alerts.stats().sent).toBe(1);
  });

  it('finds a relative program beside the config (cwd), and reports a non-zero exit with its stderr', async () => {
    const script = path.join(dir, 'page-oncall.sh');
    writeFileSync(script, '#!/bin/sh\necho "pager service down" >&2\nexit 3\n');
    chmodSync(script, 0o755);
    const result = await deliver(sink({ type: 'command', run: './page-oncall.sh', retries: 0 }), drillAlert(sink({ type: 'command', run: 'x' }), 0), { cwd: dir });
    expect(result).toEqual({ ok: false, tries: 1, error: './page-oncall.sh exited with code 3: pager service down' });
  });

  it('kills a program that outlives its timeout', async () => {
    const hang = sink({ type: 'command', run: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], timeoutMs: 200, retries: 0 });
    const result = await deliver(hang, drillAlert(hang, 0));
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('did not finish within 200 ms and was killed') });
  });

  it('reports a program that does not exist', async () => {
    const missing = sink({ type: 'command', run: './no-such-pager', retries: 0 });
    expect(await deliver(missing, drillAlert(missing, 0), { cwd: dir })).toEqual({
      ok: false,
      tries: 1,
      error: 'could not start ./no-such-pager (ENOENT)',
    });
  });
});
