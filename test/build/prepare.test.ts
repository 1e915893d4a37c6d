import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { root } from '../support/cli.js';

/**
 * The `prepare` script in a stand-in project: a fake tsc records its arguments and writes
 * dist/cli.js, so the test sees when a build runs without compiling anything.
 */
let project: string | undefined;
afterEach(() => {
  if (project) rmSync(project, { recursive: true, force: true });
  project = undefined;
});

function standIn(): { dir: string; prepare(): { stdout: string; builds: string[] } } {
  const dir = mkdtempSync(join(tmpdir(), 'understudy-prepare-'));
  project = dir;
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(root, 'scripts', 'prepare.js'), join(dir, 'scripts', 'prepare.js'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'cli.ts'), 'export {};\n');
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) writeFileSync(join(dir, file), '{}\n');
  mkdirSync(join(dir, 'node_modules', 'typescript', 'bin'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules', 'typescript', 'bin', 'tsc'),
    [
      "const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs');",
      "appendFileSync('builds.log', process.argv.slice(2).join(' ') + '\\n');",
      "mkdirSync('dist', { recursive: true });",
      "writeFileSync('dist/cli.js', '');",
    ].join('\n'),
  );
  writeFileSync(join(dir, 'node_modules', 'typescript', 'package.json'), '{"type":"commonjs"}\n');
  return {
    dir,
    prepare: () => {
      const result = spawnSync(process.execPath, [join(dir, 'scripts', 'prepare.js')], { cwd: dir, encoding: 'utf8' });
      expect(result.status).toBe(0);
      const log = join(dir, 'builds.log');
      return { stdout: result.stdout, builds: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
    },
  };
}

describe('the prepare script (run by npm install and npm ci)', () => {
  it('builds without type checks when dist/ is missing, skips an up-to-date dist/, rebuilds after a source changes', () => {
    const { dir, prepare } = standIn();
    expect(prepare().builds).toEqual(['-p tsconfig.build.json --noCheck']);

    const again = prepare();
    expect(again.builds).toHaveLength(1);
    expect(again.stdout).toContain('dist/ is up to date');

    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src', 'cli.ts'), later, later);
    expect(prepare().builds).toHaveLength(2);
  });
});
