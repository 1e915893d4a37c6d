import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { clearSecrets, maskSecrets } from '../../src/config/secrets.js';

afterEach(() => clearSecrets());

describe('secrets outside the providers', () => {
  it('masks webhook URLs, gateway tokens and a Redis password even when written literally', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'understudy-secrets-'));
    const file = path.join(dir, 'understudy.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        providers: [{ name: 'a', baseURL: 'http://127.0.0.1:1/v1', model: 'm' }],
        alerts: [{ type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET' }],
        serve: { tokens: ['gateway-token-123456'] },
        state: { redis: 'redis://:hunter2-redis@127.0.0.1:6379/0' },
      }),
    );
    await loadConfig({ configPath: file });
    const text = 'https://hooks.slack.com/services/T000/B000/XXXXSECRET gateway-token-123456 hunter2-redis';
    expect(maskSecrets(text)).toBe('*** *** ***');
  });
});
