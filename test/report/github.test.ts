import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret } from '../../src/config/secrets.js';
import { appendStepOutputs, appendStepSummary, escapeData, escapeProperty, githubAnnotations, isGitHubActions, markdownTable } from '../../src/report/github.js';

afterEach(() => clearSecrets());

describe('workflow-command escaping', () => {
  it('escapes %, CR and LF in messages, with % first so nothing is escaped twice', () => {
    expect(escapeData('100%\r\nnext')).toBe('100%25%0D%0Anext');
    expect(escapeData('%0A')).toBe('%250A');
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  it('also escapes : and , in properties', () => {
    expect(escapeProperty('drill: failover, recovery\n50%')).toBe('drill%3A failover%2C recovery%0A50%25');
  });
});

describe('githubAnnotations', () => {
  it('writes one ::error line per error', () => {
    const text = githubAnnotations([
      { title: 'ping: backup', message: 'key rejected\ncheck BACKUP_API_KEY' },
      { title: 'drill', message: 'ok, 100%' },
    ]);
    expect(text).toBe('::error title=ping%3A backup::key rejected%0Acheck BACKUP_API_KEY\n::error title=drill::ok, 100%25\n');
  });

  it('writes nothing for no errors', () => {
    expect(githubAnnotations([])).toBe('');
  });

  it('keeps exactly 10 annotations as they are', () => {
    const errors = Array.from({ length: 10 }, (_, i) => ({ title: `e${i + 1}`, message: 'm' }));
    const lines = githubAnnotations(errors).trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[9]).toBe('::error title=e10::m');
  });

  it('folds everything past nine into one final "…and N more"', () => {
    const errors = Array.from({ length: 14 }, (_, i) => ({ title: `e${i + 1}`, message: `m${i + 1}` }));
    const lines = githubAnnotations(errors).trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[8]).toBe('::error title=e9::m9');
    expect(lines[9]).toBe('::error title=…and 5 more::e10: m10%0Ae11: m11%0Ae12: m12%0Ae13: m13%0Ae14: m14');
  });

  it('writes warnings as ::warning, after the errors, folded past ten on their own', () => {
    const errors = Array.from({ length: 3 }, (_, i) => ({ title: `e${i + 1}`, message: 'm' }));
    const warnings = Array.from({ length: 12 }, (_, i) => ({ title: `w${i + 1}`, message: 'm', level: 'warning' as const }));
    const lines = githubAnnotations([warnings[0]!, ...errors, ...warnings.slice(1)]).trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['::error title=e1::m', '::error title=e2::m', '::error title=e3::m']);
    expect(lines.slice(3)).toHaveLength(10);
    expect(lines[3]).toBe('::warning title=w1::m');
    expect(lines.at(-1)).toBe('::warning title=…and 3 more::w10: m%0Aw11: m%0Aw12: m');
  });

  it('masks secrets in titles and messages, before escaping', () => {
    registerSecret('key:with,colon%');
    const text = githubAnnotations([{ title: 'bad key:with,colon%', message: 'sent key:with,colon%' }]);
    expect(text).toBe('::error title=bad ***::sent ***\n');
  });
});

describe('markdownTable', () => {
  it('renders a GitHub table, escaping | and newlines in cells', () => {
    expect(markdownTable(['provider', 'result'], [['a|b', 'line 1\nline 2'], ['c']])).toBe(
      '| provider | result |\n| --- | --- |\n| a\\|b | line 1<br>line 2 |\n| c |  |\n',
    );
  });

  it('masks secrets', () => {
    registerSecret('sk-table-secret');
    expect(markdownTable(['k'], [['sk-table-secret']])).toContain('| *** |');
  });
});

describe('appendStepSummary', () => {
  it('appends to $GITHUB_STEP_SUMMARY, masked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'understudy-summary-'));
    try {
      const file = join(dir, 'summary.md');
      registerSecret('sk-summary-secret');
      expect(appendStepSummary('# first', { GITHUB_STEP_SUMMARY: file })).toBe(true);
      expect(appendStepSummary('second sk-summary-secret\n', { GITHUB_STEP_SUMMARY: file })).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe('# first\nsecond ***\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does nothing when not on GitHub Actions', () => {
    expect(appendStepSummary('# x', {})).toBe(false);
  });
});

describe('isGitHubActions', () => {
  it('reads GITHUB_ACTIONS=true', () => {
    expect(isGitHubActions({ GITHUB_ACTIONS: 'true' })).toBe(true);
    expect(isGitHubActions({ CI: 'true' })).toBe(false);
  });
});

describe('appendStepOutputs', () => {
  it('appends name=value lines, a heredoc for a multi-line value, all masked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'understudy-outputs-'));
    try {
      const file = join(dir, 'output');
      registerSecret('sk-output-secret');
      const env = { GITHUB_OUTPUT: file };
      expect(appendStepOutputs({ ok: 'false', summary: 'key sk-output-secret rejected' }, env)).toBe(true);
      expect(appendStepOutputs({ detail: 'line 1\nUNDERSTUDY_EOF\nline 3' }, env)).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(
        'ok=false\nsummary=key *** rejected\ndetail<<UNDERSTUDY_EOF_\nline 1\nUNDERSTUDY_EOF\nline 3\nUNDERSTUDY_EOF_\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does nothing when not on GitHub Actions', () => {
    expect(appendStepOutputs({ ok: 'true' }, {})).toBe(false);
  });
});
