import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chalk from 'chalk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearSecrets, registerSecret } from '../../src/config/secrets.js';
import { printJson, toJson } from '../../src/report/json.js';
import { jsonLine } from '../../src/run/jsonl-file.js';
import { log, out, writeFileMasked } from '../../src/report/output.js';
import { breakerLabel, paint } from '../../src/report/style.js';

afterEach(() => {
  clearSecrets();
  vi.restoreAllMocks();
});

describe('out and log', () => {
  it('write results to stdout and logs to stderr, one line each, masked', () => {
    registerSecret('sk-output-secret');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    out('result sk-output-secret');
    log('progress');
    expect(stdout).toHaveBeenCalledWith('result ***\n');
    expect(stderr).toHaveBeenCalledWith('progress\n');
    expect(stdout).toHaveBeenCalledTimes(1);
    expect(stderr).toHaveBeenCalledTimes(1);
  });
});

describe('writeFileMasked', () => {
  it('creates parent directories and masks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'understudy-out-'));
    try {
      registerSecret('sk-written-secret');
      const file = join(dir, 'a', 'b', 'report.txt');
      writeFileMasked(file, 'key=sk-written-secret\n');
      expect(readFileSync(file, 'utf8')).toBe('key=***\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('JSON output', () => {
  it('is one document with 2-space indent and a trailing newline', () => {
    expect(toJson({ ok: true, list: [1] })).toBe('{\n  "ok": true,\n  "list": [\n    1\n  ]\n}\n');
    expect(JSON.parse(toJson({ a: 'b' }))).toEqual({ a: 'b' });
  });

  it('masks secrets, including one that JSON escaping would change', () => {
    registerSecret('sk-json-secret');
    registerSecret('pa"ss\\word');
    const text = toJson({ key: 'sk-json-secret', nested: ['has pa"ss\\word in it'] });
    expect(text).not.toContain('sk-json-secret');
    expect(text).not.toContain('pa\\"ss\\\\word');
    expect(JSON.parse(text)).toEqual({ key: '***', nested: ['has *** in it'] });
  });

  it('writes timings (ms and …Ms fields) in whole milliseconds, and leaves other numbers alone', () => {
    const value = { attempts: [{ provider: 'p', ms: 204.72612900000001 }], wallMs: 1503.5, ratio: 0.25, count: 3 };
    expect(JSON.parse(toJson(value))).toEqual({ attempts: [{ provider: 'p', ms: 205 }], wallMs: 1504, ratio: 0.25, count: 3 });
    expect(JSON.parse(jsonLine(value))).toEqual(JSON.parse(toJson(value)));
  });

  it('printJson writes the document to the stream', () => {
    const chunks: string[] = [];
    printJson({ n: 1 }, { write: (chunk: string) => chunks.push(chunk) } as unknown as NodeJS.WritableStream);
    expect(chunks).toEqual(['{\n  "n": 1\n}\n']);
  });

  it('prints undefined as null rather than nothing', () => {
    expect(toJson(undefined)).toBe('null\n');
  });
});

describe('style', () => {
  it('colours when chalk has colour and leaves text alone when it does not', () => {
    const level = chalk.level;
    try {
      chalk.level = 1;
      expect(paint('green', 'ok')).toBe('\u001b[32mok\u001b[39m');
      expect(breakerLabel('open')).toBe('\u001b[31m○ open\u001b[39m');
      chalk.level = 0;
      expect(paint('red', 'bad')).toBe('bad');
      expect(breakerLabel('half-open')).toBe('◐ half-open');
    } finally {
      chalk.level = level;
    }
  });
});
