import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret } from '../../src/config/secrets.js';
import type { CheckGroup } from '../../src/report/check-result.js';
import { renderJUnit, writeJUnit } from '../../src/report/junit.js';
import { count, xmlProblems } from './xml-check.js';

const groups: CheckGroup[] = [
  {
    name: 'primary',
    ok: true,
    ms: 420,
    checks: [
      { name: 'key accepted', ok: true, ms: 120 },
      { name: 'model listed', ok: true, ms: 300 },
    ],
  },
  {
    name: 'backup',
    ok: false,
    ms: 1500,
    checks: [
      { name: 'key accepted', ok: false, ms: 1500, detail: '401 key rejected' },
      { name: 'completion', ok: false, skipped: true },
    ],
    failure: { message: 'key rejected', type: 'provider-only', hint: 'check BACKUP_API_KEY' },
  },
];

afterEach(() => clearSecrets());

describe('renderJUnit', () => {
  it('writes one well-formed testsuite with one testcase per check', () => {
    const xml = renderJUnit('understudy ping', groups);
    expect(xmlProblems(xml)).toEqual([]);
    expect(count(xml, '<testsuite ')).toBe(1);
    expect(count(xml, '<testcase ')).toBe(4);
    expect(count(xml, '<failure ')).toBe(1);
    expect(count(xml, '<skipped/>')).toBe(1);
    expect(xml).toMatch(/<testsuite name="understudy ping"[^>]* tests="4" failures="1" errors="0" skipped="1"/);
  });

  it('uses the group as classname, the check as name and time in seconds', () => {
    const xml = renderJUnit('s', groups);
    expect(xml).toContain('<testcase classname="primary" name="key accepted" time="0.12"/>');
    expect(xml).toContain('<testcase classname="backup" name="key accepted" time="1.5">');
    expect(xml).toContain('<failure message="401 key rejected — check BACKUP_API_KEY" type="provider-only"/>');
  });

  it('makes testcase names unique within a classname', () => {
    const xml = renderJUnit('s', [{ name: 'g', ok: true, checks: [{ name: 'a', ok: true }, { name: 'a', ok: true }, { name: 'a (2)', ok: true }] }]);
    const names = [...xml.matchAll(/<testcase classname="g" name="([^"]*)"/g)].map((match) => match[1]);
    expect(names).toEqual(['a', 'a (2)', 'a (2) (2)']);
    expect(new Set(names).size).toBe(3);
  });

  it('XML-escapes names, messages and types', () => {
    const nasty = 'a<b & "c">\'d\'';
    const xml = renderJUnit(nasty, [{ name: nasty, ok: false, checks: [{ name: nasty, ok: false, detail: `${nasty}\nline 2` }], failure: { message: 'x', type: nasty } }]);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('name="a&lt;b &amp; &quot;c&quot;>\'d\'"');
    expect(xml).toContain('message="a&lt;b &amp; &quot;c&quot;>\'d\'&#xA;line 2"');
    expect(xml).not.toContain('<b');
  });

  it('turns a failed group without a failed check into a testcase carrying its failure', () => {
    const xml = renderJUnit('s', [
      { name: 'failover', ok: false, ms: 2000, checks: [], failure: { message: 'no failover within 5 s', type: 'drill' } },
      { name: 'recovery', ok: false, checks: [{ name: 'step', ok: true }], failure: { message: 'never recovered', type: 'drill' } },
    ]);
    expect(xml).toContain('<testcase classname="failover" name="failover" time="2">');
    expect(xml).toContain('<failure message="no failover within 5 s" type="drill"/>');
    expect(xml).toContain('<testcase classname="recovery" name="result">');
    expect(count(xml, '<failure ')).toBe(2);
  });

  it('does not fail on a warning', () => {
    const xml = renderJUnit('s', [{ name: 'g', ok: true, checks: [{ name: 'latency', ok: false, warning: true, detail: 'slow: 9 s' }] }]);
    expect(count(xml, '<failure')).toBe(0);
    expect(xml).toContain('warning: slow: 9 s');
  });

  it('masks every registered secret, even one that escaping would change', () => {
    registerSecret('sk-live-1234567890');
    registerSecret('tok&en<secret>');
    const xml = renderJUnit('suite sk-live-1234567890', [
      { name: 'p', ok: false, checks: [{ name: 'key sk-live-1234567890', ok: false, detail: 'rejected tok&en<secret>' }], failure: { message: 'm', type: 't' } },
    ], { properties: { key: 'sk-live-1234567890' } });
    expect(xml).not.toContain('sk-live-1234567890');
    expect(xml).not.toContain('tok&amp;en&lt;secret>');
    expect(xml).toContain('rejected ***');
    expect(xml).toContain('key ***');
    expect(xmlProblems(xml)).toEqual([]);
  });

  it('does not carry state from one call into the next', () => {
    renderJUnit('first', groups);
    const xml = renderJUnit('second', [{ name: 'g', ok: true, checks: [{ name: 'c', ok: true }] }]);
    expect(xml).not.toContain('first');
    expect(count(xml, '<testcase ')).toBe(1);
  });
});

describe('the well-formedness check used above', () => {
  it('catches unbalanced tags, bare < and bare &', () => {
    expect(xmlProblems('<a><b></a>')).not.toEqual([]);
    expect(xmlProblems('<a x="1 < 2"/>')).not.toEqual([]);
    expect(xmlProblems('<a>fish & chips</a>')).not.toEqual([]);
    expect(xmlProblems('<a x="&amp;">1 &lt; 2</a>')).toEqual([]);
  });
});

describe('writeJUnit', () => {
  it('writes the report, creating parent directories, masked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'understudy-junit-'));
    try {
      registerSecret('sk-file-secret-99');
      const file = join(dir, 'reports', 'nested', 'ping.xml');
      writeJUnit(file, 'ping', [{ name: 'p', ok: false, checks: [{ name: 'c', ok: false, detail: 'bad sk-file-secret-99' }] }]);
      const xml = readFileSync(file, 'utf8');
      expect(xml).toContain('bad ***');
      expect(xml).not.toContain('sk-file-secret-99');
      expect(xmlProblems(xml)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
