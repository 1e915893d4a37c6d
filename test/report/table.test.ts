import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/report/table.js';
import { truncateToWidth } from '../../src/report/text-width.js';

const green = (text: string): string => `\u001b[32m${text}\u001b[39m`;
const red = (text: string): string => `\u001b[31m${text}\u001b[39m`;
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('renderTable', () => {
  it('aligns columns with two spaces between them and no trailing spaces', () => {
    expect(renderTable(['provider', 'ms'], [['primary', '12'], ['b', '1300']])).toBe(
      ['provider  ms', 'primary   12', 'b         1300'].join('\n'),
    );
  });

  it('measures ANSI-coloured cells by what they show, so columns still align', () => {
    const table = renderTable(['provider', 'breaker', 'ms'], [
      ['primary', green('● closed'), '12'],
      ['backup', red('○ open'), '—'],
    ]);
    const lines = table.split('\n').map(stripAnsi);
    expect(lines).toEqual(['provider  breaker   ms', 'primary   ● closed  12', 'backup    ○ open    —']);
    // The colour codes are still there, untouched.
    expect(table).toContain(green('● closed'));
  });

  it('never ends a line in spaces, even with an empty last cell', () => {
    const table = renderTable(['a', 'b'], [['x', ''], ['longer', 'y']]);
    for (const line of table.split('\n')) expect(line).toBe(line.trimEnd());
  });

  it('right-aligns the columns asked for', () => {
    expect(renderTable(['name', 'ms'], [['a', '5'], ['b', '120']], { align: ['left', 'right'] })).toBe(
      ['name   ms', 'a       5', 'b     120'].join('\n'),
    );
  });

  it('truncates the widest column with … to fit maxWidth', () => {
    const detail = 'the provider answered with an HTML error page instead of JSON';
    const table = renderTable(['provider', 'detail'], [['primary', detail]], { maxWidth: 30 });
    const lines = table.split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(30);
    expect(lines[1]).toBe('primary   the provider answer…');
  });

  it('truncates only flexible columns', () => {
    const table = renderTable(['a-long-name-column', 'detail'], [['some-provider-name', 'short detail here']], { maxWidth: 32, flexible: [1] });
    const lines = table.split('\n');
    expect(lines[1]).toBe('some-provider-name  short detai…');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(32);
  });

  it('keeps colour codes balanced when it cuts inside a coloured cell', () => {
    const table = renderTable(['detail'], [[red('connection refused by 127.0.0.1')]], { maxWidth: 12 });
    const row = table.split('\n')[1] ?? '';
    expect(stripAnsi(row)).toBe('connection…');
    expect(row.endsWith('\u001b[39m')).toBe(true);
  });

  it('counts wide characters as two columns', () => {
    const table = renderTable(['name', 'x'], [['日本', '1'], ['ab', '2']]);
    expect(table.split('\n')).toEqual(['name  x', '日本  1', 'ab    2']);
  });

  it('keeps each row on one line', () => {
    expect(renderTable(['a', 'b'], [['x\ny', 'z']])).toBe('a    b\nx y  z');
  });
});

describe('truncateToWidth', () => {
  it('leaves text that fits alone and cuts wide characters whole', () => {
    expect(truncateToWidth('abc', 3)).toBe('abc');
    expect(truncateToWidth('abcd', 3)).toBe('ab…');
    expect(truncateToWidth('日本語', 4)).toBe('日…');
    expect(truncateToWidth('abc', 0)).toBe('');
    expect(truncateToWidth('ab cd', 4)).toBe('ab…');
  });
});
