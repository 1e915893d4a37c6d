import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root and the built CLI that end-to-end tests run as a child process. */
export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cli = `${root}bin/understudy.js`;

/** Builds dist/ when it is missing (CI builds before testing; a developer may not have). */
export function ensureBuilt(probe = 'dist/cli.js'): void {
  if (!existsSync(`${root}${probe}`)) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `understudy ...args` to the end, as CI would (no colour, no terminal). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const proc = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, CI: '1', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => proc.on('close', (code) => resolve({ code, stdout, stderr })));
}
