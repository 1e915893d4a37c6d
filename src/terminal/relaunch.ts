import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';

const RELAUNCHED = 'UNDERSTUDY_RELAUNCHED';
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** True in the child that `relaunchWith` started (it must not relaunch again). */
export function isRelaunched(): boolean {
  return process.env[RELAUNCHED] === '1';
}

/**
 * Whether this process can be started again as it was: from a built `.js` entry. Run from
 * TypeScript source through a loader (jiti), the entry in argv is not what Node itself can run.
 */
export function canRelaunch(): boolean {
  return /\.[cm]?js$/.test(process.argv[1] ?? '');
}

/** True when every flag is already in effect, from the command line or NODE_OPTIONS. */
export function hasNodeFlags(flags: readonly string[]): boolean {
  const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  return flags.every((flag) => given.some((option) => option.split('=')[0] === flag.split('=')[0]));
}

/**
 * Runs this same command again in a child Node started with `flags` (some V8 settings, such as
 * the young generation's size, can only be given at startup) and resolves to its exit code.
 * The child gets a process group of its own, so each signal (a terminal's Ctrl-C, an
 * orchestrator's SIGTERM) reaches it exactly once, forwarded from here.
 */
export async function relaunchWith(flags: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...flags, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
    env: { ...process.env, [RELAUNCHED]: '1' },
  });
  const forward = (signal: NodeJS.Signals) => void child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  for (const name of FORWARDED) process.off(name, forward);
  return code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/** In the relaunched child: a parent that went away (killed) is taken as SIGTERM, so nothing is orphaned. */
export function stopWithParent(): void {
  if (!process.send) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
