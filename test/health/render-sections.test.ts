import { describe, expect, it } from 'vitest';
import type { ConfigWarning } from '../../src/config/warnings.js';
import { pingAnnotations, pingJson, pingJUnit, pingMarkdown, renderPingTable } from '../../src/health/render.js';
import type { PingReport, ProviderReport, SinkReport } from '../../src/health/types.js';
import { toJson } from '../../src/report/json.js';
import { count, xmlProblems } from '../report/xml-check.js';

// Reports are plain data, so the sections are rendered from hand-made ones: every case is exact.
const provider: ProviderReport = {
  name: 'primary',
  model: 'gpt-4o-mini',
  ok: true,
  latencyMs: 12,
  totalMs: 20,
  checks: [{ name: 'reach', ok: true, ms: 3, detail: '127.0.0.1:8080 accepts connections' }],
  error: null,
};
const base: PingReport = { ok: true, required: 1, healthy: 1, providers: [provider], alerts: [], warnings: [], strict: false };
const alerts: SinkReport[] = [
  { sink: 'slack hooks.slack.com', ok: true, detail: 'hooks.slack.com:443 accepts TLS connections', ms: 30 },
  { sink: 'command ./page.sh', ok: false, detail: './page.sh was not found (looked in /srv/agent)', ms: 1 },
];
const warnings: ConfigWarning[] = [
  { code: 'shared-host', path: 'providers[1].baseURL', message: 'primary and backup are the same host (127.0.0.1:8080): one outage takes both' },
  { code: 'hair-trigger-breaker', path: 'breaker.failureThreshold', message: 'a threshold of 1 opens the breaker on a single blip' },
];

function json(report: PingReport): { ok: boolean; strict: boolean; alerts: unknown[]; warnings: unknown[] } {
  return JSON.parse(toJson(pingJson(report))) as { ok: boolean; strict: boolean; alerts: unknown[]; warnings: unknown[] };
}

describe('ping output: alert sinks and config warnings', () => {
  it('shows neither section when there are no sinks and no warnings', () => {
    const text = renderPingTable(base);
    expect(text).not.toMatch(/ALERT SINK|CONFIG/);
    expect(text.split('\n').at(-1)).toBe('✓ 1 of 1 provider healthy — ok');
    expect(json(base)).toMatchObject({ strict: false, alerts: [], warnings: [] });
    expect(count(pingJUnit(base), '<testcase ')).toBe(1);
    expect(pingMarkdown(base)).not.toContain('**');
  });

  it('an alert-sink table after the providers, and the sinks in the verdict', () => {
    const report = { ...base, ok: false, alerts };
    const lines = renderPingTable(report).split('\n');
    const heading = lines.findIndex((line) => line.startsWith('ALERT SINK'));
    expect(heading).toBeGreaterThan(lines.findIndex((line) => line.startsWith('primary')));
    expect(lines[heading]).toMatch(/^ALERT SINK\s+RESULT\s+DETAIL$/);
    expect(lines[heading + 1]).toMatch(/^slack hooks\.slack\.com\s+✓ ok\s+hooks\.slack\.com:443 accepts TLS connections$/);
    expect(lines[heading + 2]).toMatch(/^command \.\/page\.sh\s+✗ fail\s+\.\/page\.sh was not found \(looked in \/srv\/agent\)$/);
    expect(lines.at(-1)).toBe('✗ 1 of 1 provider healthy, 1 of 2 alert sinks reachable — failed');
  });

  it('sinks in --json as { sink, ok, detail }, in JUnit as a group, as ::error and in the step summary', () => {
    const report = { ...base, ok: false, alerts };
    expect(json(report).alerts).toEqual([
      { sink: 'slack hooks.slack.com', ok: true, detail: 'hooks.slack.com:443 accepts TLS connections' },
      { sink: 'command ./page.sh', ok: false, detail: './page.sh was not found (looked in /srv/agent)' },
    ]);
    const xml = pingJUnit(report);
    expect(xmlProblems(xml)).toEqual([]);
    expect(count(xml, 'classname="alert sinks"')).toBe(2);
    expect(xml).toMatch(/<testcase classname="alert sinks" name="command \.\/page\.sh"[^>]*>\s*<failure message="\.\/page\.sh was not found \(looked in \/srv\/agent\)" type="alert-sink"/);
    expect(pingAnnotations(report)).toBe('::error title=understudy ping%3A alert sink command ./page.sh failed::./page.sh was not found (looked in /srv/agent)\n');
    expect(pingMarkdown(report)).toMatch(/^### understudy ping: 1 of 1 provider healthy, 1 of 2 alert sinks reachable — failed\n/);
    expect(pingMarkdown(report)).toContain('**Alert sinks**\n\n| Sink | Result | Detail |\n| --- | --- | --- |\n| slack hooks.slack.com | ✅ ok |');
  });

  it('warnings without --strict: a config table marked as warnings, passing testcases, no annotations, the verdict untouched', () => {
    const report = { ...base, warnings };
    const text = renderPingTable(report);
    expect(text).toMatch(/^CONFIG\s+RESULT\s+WARNING$/m);
    expect(text).toMatch(/^providers\[1\]\.baseURL\s+! warn\s+primary and backup are the same host/m);
    expect(text).toMatch(/^breaker\.failureThreshold\s+! warn\s+a threshold of 1/m);
    expect(text).toContain('config warnings do not fail the ping; --strict makes them failures');
    expect(text.split('\n').at(-1)).toBe('✓ 1 of 1 provider healthy — ok');
    expect(json(report).warnings).toEqual(warnings);
    const xml = pingJUnit(report);
    expect(count(xml, 'classname="config"')).toBe(2);
    expect(count(xml, '<failure ')).toBe(0);
    expect(xml).toContain('<system-out><![CDATA[warning: breaker.failureThreshold: a threshold of 1 opens the breaker on a single blip]]></system-out>');
    expect(pingAnnotations(report)).toBe('');
  });

  it('warnings under --strict: failures in every format, and the verdict says why', () => {
    const report = { ...base, ok: false, strict: true, warnings };
    const text = renderPingTable(report);
    expect(text).toMatch(/^providers\[1\]\.baseURL\s+✗ fail\s+primary and backup/m);
    expect(text).toContain('config warnings fail the ping (--strict)');
    expect(text.split('\n').at(-1)).toBe('✗ 1 of 1 provider healthy, 2 config warnings (--strict) — failed');
    expect(json(report)).toMatchObject({ ok: false, strict: true });
    const xml = pingJUnit(report);
    expect(xmlProblems(xml)).toEqual([]);
    expect(count(xml, 'type="config-warning"')).toBe(2);
    expect(xml).toContain('name="shared-host (providers[1].baseURL)"');
    const annotations = pingAnnotations(report).trimEnd().split('\n');
    expect(annotations).toEqual([
      '::error title=understudy ping%3A config shared-host (--strict)::providers[1].baseURL: primary and backup are the same host (127.0.0.1:8080): one outage takes both',
      '::error title=understudy ping%3A config hair-trigger-breaker (--strict)::breaker.failureThreshold: a threshold of 1 opens the breaker on a single blip',
    ]);
    expect(pingMarkdown(report)).toContain('| breaker.failureThreshold | ❌ failed (--strict) | a threshold of 1');
  });

  it('--strict with no warnings says so, and JUnit keeps one passing config testcase', () => {
    const report = { ...base, strict: true };
    expect(renderPingTable(report).split('\n').at(-1)).toBe('✓ 1 of 1 provider healthy, no config warnings (--strict) — ok');
    const xml = pingJUnit(report);
    expect(xml).toMatch(/<testcase classname="config" name="config"[^>]*\/>/);
    expect(count(xml, '<failure ')).toBe(0);
  });
});
