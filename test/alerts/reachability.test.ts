import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSinkReachable } from '../../src/alerts/reachability.js';
import { clearSecrets } from '../../src/config/secrets.js';
import { closedPort, startReceiver } from './support/receiver.js';
import { sink } from './support/sinks.js';

const TOKEN = 'hook-token-0123456789abcdef';

afterEach(() => clearSecrets());

describe('checkSinkReachable', () => {
  it('connects to a webhook host without sending anything', async () => {
    const receiver = await startReceiver();
    try {
      const result = await checkSinkReachable(sink({ type: 'webhook', url: receiver.url(`/hooks/${TOKEN}`) }), 1_000);
      expect(result).toEqual({
        sink: expect.stringMatching(/^webhook http:\/\/127\.0\.0\.1:\d+\/…$/),
        ok: true,
        detail: expect.stringMatching(/^127\.0\.0\.1:\d+ accepts TCP connections$/),
      });
      expect(receiver.arrived).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('fails a refused connection, naming the step and never the path', async () => {
    const result = await checkSinkReachable(sink({ type: 'slack', url: `http://127.0.0.1:${await closedPort()}/services/${TOKEN}` }), 1_000);
    expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(/^TCP connection to 127\.0\.0\.1:\d+ failed \(ECONNREFUSED\)$/) });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('fails a host that does not resolve', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    const result = await checkSinkReachable(sink({ type: 'slack', url: `https://hooks.invalid/services/${TOKEN}` }), 1_000, {
      lookup: () => Promise.reject(notFound),
    });
    expect(result).toEqual({ sink: 'slack hooks.invalid', ok: false, detail: 'DNS lookup of hooks.invalid failed (ENOTFOUND)' });
  });

  describe('a command sink', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('is ok when the program exists and is executable (absolute, relative to cwd, or on PATH)', async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'understudy-reach-'));
      writeFileSync(path.join(dir, 'page.sh'), '#!/bin/sh\n');
      chmodSync(path.join(dir, 'page.sh'), 0o755);
      expect(await checkSinkReachable(sink({ type: 'command', run: process.execPath }), 1_000)).toMatchObject({ ok: true });
      expect(await checkSinkReachable(sink({ type: 'command', run: './page.sh' }), 1_000, { cwd: dir })).toEqual({
        sink: 'command ./page.sh',
        ok: true,
        detail: './page.sh is executable',
      });
      expect(await checkSinkReachable(sink({ type: 'command', run: 'sh' }), 1_000)).toMatchObject({ ok: true });
    });

    it('fails a missing program and one that is not executable', async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'understudy-reach-'));
      writeFileSync(path.join(dir, 'plain.sh'), '#!/bin/sh\n');
      chmodSync(path.join(dir, 'plain.sh'), 0o644);
      expect(await checkSinkReachable(sink({ type: 'command', run: './missing.sh' }), 1_000, { cwd: dir })).toMatchObject({
        ok: false,
        detail: `./missing.sh was not found (looked in ${dir})`,
      });
      expect(await checkSinkReachable(sink({ type: 'command', run: './plain.sh' }), 1_000, { cwd: dir })).toMatchObject({
        ok: false,
        detail: './plain.sh exists but is not executable (chmod +x it)',
      });
      expect(await checkSinkReachable(sink({ type: 'command', run: 'no-such-pager-understudy' }), 1_000)).toMatchObject({
        ok: false,
        detail: 'no-such-pager-understudy was not found on PATH',
      });
    });
  });
});
