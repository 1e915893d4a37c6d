import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../src/config/secrets.js';
import { pingProviders } from '../../src/health/ping.js';
import { pingAnnotations, pingJson, pingJUnit, pingMarkdown, renderPingTable } from '../../src/health/render.js';
import type { PingReport } from '../../src/health/types.js';
import { appendStepSummary } from '../../src/report/github.js';
import { toJson } from '../../src/report/json.js';
import { count, xmlProblems } from '../report/xml-check.js';
import { closeAll, closedPort, configOf, mockWithKey, secretKey } from './mock-setup.js';

// One report over four providers — healthy, a rejected key whose 401 echoes the key (as OpenAI's
// does), a closed port and an unknown model — rendered in every format.
let report: PingReport;
let key: string;

beforeAll(async () => {
  key = secretKey('render');
  const good = await mockWithKey('good', key);
  const echo = await mockWithKey('echo', key);
  echo.setFault({
    type: 'status',
    status: 401,
    body: { error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', code: 'invalid_api_key' } },
  });
  const port = await closedPort();
  const config = configOf({
    providers: [
      { name: 'good', baseURL: good.baseURL, apiKey: key, model: 'gpt-4o-mini' },
      { name: 'echo', baseURL: echo.baseURL, apiKey: key, model: 'gpt-4o-mini' },
      { name: 'closed', baseURL: `http://127.0.0.1:${port}/v1`, apiKey: key, model: 'gpt-4o-mini' },
      { name: 'typo', baseURL: good.baseURL, apiKey: key, model: 'gpt-4o-mni' },
    ],
  });
  // No config warnings here (they would add rows and testcases): render-sections.test.ts has them.
  report = await pingProviders(config, { echo: { env: 'ECHO_API_KEY' } }, { warnings: [] });
});

afterAll(async () => {
  await closeAll();
  clearSecrets();
});

describe('ping output', () => {
  it('the table has a row per provider with each check, latency, class, status and hint', () => {
    const text = renderPingTable(report);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^PROVIDER\s+MODEL\s+REACH\s+AUTH\s+LISTED\s+COMPLETION\s+LATENCY\s+CLASS\s+STATUS\s+HINT$/);
    expect(lines.find((line) => line.startsWith('echo'))).toMatch(/✓ ok\s+✗ fail\s+– skip\s+– skip\s+—\s+provider-only\s+401\s+401: the key in ECHO_API_KEY was rejected \(ends …x7Qa\)/);
    expect(lines.find((line) => line.startsWith('closed'))).toMatch(/✗ fail\s+– skip.*retryable\s+connection refused at 127\.0\.0\.1:\d+ — is the base URL right\?$/);
    expect(lines.find((line) => line.startsWith('typo'))).toMatch(/! warn\s+✗ fail.*provider-only\s+404\s+model gpt-4o-mni not found; did you mean gpt-4o-mini\?$/);
    expect(text).toContain('! typo model: gpt-4o-mni is not listed; did you mean gpt-4o-mini?');
    expect(lines.at(-1)).toBe('✗ 1 of 4 providers healthy — failed');
  });

  it('--json has the promised shape', () => {
    const document = JSON.parse(toJson(pingJson(report))) as {
      ok: boolean;
      providers: { name: string; model: string; ok: boolean; latencyMs: number | null; checks: object[]; error: object | null }[];
    };
    expect(document.ok).toBe(false);
    const [good, echo, closed] = document.providers;
    expect(Object.keys(good!)).toEqual(['name', 'model', 'ok', 'latencyMs', 'degraded', 'checks', 'error']);
    expect(good).toMatchObject({ name: 'good', model: 'gpt-4o-mini', ok: true, error: null });
    expect(good!.latencyMs).toBeTypeOf('number');
    expect(good!.checks[0]).toEqual({ name: 'reach', ok: true, ms: expect.any(Number), detail: expect.stringContaining('accepts connections') });
    expect(echo!.error).toEqual({ class: 'provider-only', status: 401, message: 'Incorrect API key provided: ***.', hint: expect.stringMatching(/^401: /) });
    expect(closed!.error).toMatchObject({ class: 'retryable', status: null });
    expect(closed!.checks[1]).toEqual({ name: 'auth', ok: false, ms: null, detail: 'skipped: reach failed', skipped: true });
  });

  it('JUnit output is well-formed XML: one testsuite, one testcase per provider-check', () => {
    const xml = pingJUnit(report);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('<system-out><![CDATA[warning: gpt-4o-mni is not listed; did you mean gpt-4o-mini? (the completion check decides)]]></system-out>');
    expect(count(xml, '<testsuite ')).toBe(1);
    expect(count(xml, '<testcase ')).toBe(16);
    // echo's auth, closed's reach, typo's completion.
    expect(count(xml, '<failure ')).toBe(3);
    expect(count(xml, '<skipped/>')).toBe(5);
    expect(xml).toMatch(/<testsuite name="understudy ping"[^>]* tests="16" failures="3" errors="0" skipped="5"/);
    expect(xml).toMatch(/<testcase classname="closed" name="reach"[^>]*>\s*<failure message="[^"]*connection refused at 127\.0\.0\.1:\d+ — is the base URL right\?" type="retryable"/);
  });

  it('GitHub: one ::error per failing provider, and a Markdown summary appended to the step summary file', () => {
    const annotations = pingAnnotations(report).trimEnd().split('\n');
    expect(annotations).toHaveLength(3);
    expect(annotations.every((line) => line.startsWith('::error title=understudy ping%3A '))).toBe(true);
    expect(annotations[0]).toContain('echo failed::401: the key in ECHO_API_KEY was rejected (ends …x7Qa)');

    const dir = mkdtempSync(join(tmpdir(), 'understudy-ping-'));
    try {
      const file = join(dir, 'summary.md');
      expect(appendStepSummary(pingMarkdown(report), { GITHUB_STEP_SUMMARY: file })).toBe(true);
      const markdown = readFileSync(file, 'utf8');
      expect(markdown).toMatch(/^### understudy ping: 1 of 4 providers healthy — failed\n/);
      expect(markdown).toContain('| closed | gpt-4o-mini | ❌ reach failed |');
      expect(count(markdown, '\n| ')).toBe(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no key appears in any format, beyond its last 4 characters', () => {
    // The provider echoed the whole key back in its 401: every format must still hide it.
    expect(JSON.stringify(report)).not.toContain(key);
    for (const text of [renderPingTable(report), toJson(pingJson(report)), pingJUnit(report), pingAnnotations(report), pingMarkdown(report)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(0, 12));
    }
  });
});
