#!/usr/bin/env node
// `npm install` / `npm ci` run this (the `prepare` script) so that a fresh clone can run
// `npx understudy` at once. It builds dist/ only when dist/ is missing or older than the
// sources, and without type checking (`tsc --noCheck`, half the time of a checked build): the
// checks are `npm run typecheck` and `npm run build`, which CI and developers run.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'cli.js');

/** Newest modification time under `path` (a file or a folder), in ms. */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const builtAt = statSync(built, { throwIfNoEntry: false })?.mtimeMs;
const sourcesAt = Math.max(...['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((path) => newest(join(root, path))));
if (builtAt !== undefined && builtAt >= sourcesAt) {
  console.log('understudy: dist/ is up to date; not rebuilt');
} else {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root, stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}
