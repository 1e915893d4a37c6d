import { spawn } from 'node:child_process';
import path from 'node:path';
import type { AlertSinkConfig } from '../../config/schema.js';
import type { Alert } from '../alert.js';
import { DeliveryError } from './post-json.js';

type CommandSink = Extract<AlertSinkConfig, { type: 'command' }>;

/** The tail of a failing program's stderr quoted in the failure. */
const MAX_STDERR = 300;

/**
 * Where a sink's program is: a path with a slash is relative to `cwd` (the config file's
 * directory, so `./page-oncall.sh` means the one beside the config); a bare name is looked
 * up on PATH by the system.
 */
export function commandPath(run: string, cwd: string | undefined): string {
  return isBareName(run) ? run : path.resolve(cwd ?? process.cwd(), run);
}

/** A program named without any directory (`curl`), which the system finds on PATH. */
export function isBareName(run: string): boolean {
  return !run.includes('/') && !run.includes('\\');
}

/**
 * Runs the sink's program with the alert as JSON on stdin — no shell, so nothing in an alert
 * is ever interpreted — and resolves when it exits 0. It is killed at `timeoutMs`.
 */
export function sendCommand(sink: CommandSink, alert: Alert, cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(commandPath(sink.run, cwd), sink.args ?? [], {
      cwd: cwd ?? process.cwd(),
      stdio: ['pipe', 'ignore', 'pipe'],
      shell: false,
      env: { ...process.env, UNDERSTUDY_ALERT_KIND: alert.kind, UNDERSTUDY_ALERT_SEVERITY: alert.severity },
    });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, sink.timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_STDERR);
    });
    // A program that exits without reading stdin breaks the pipe; its exit status decides.
    child.stdin.on('error', () => {});
    child.stdin.end(`${JSON.stringify(alert)}\n`);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new DeliveryError(`could not start ${sink.run}${error.code ? ` (${error.code})` : ''}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new DeliveryError(`${sink.run} did not finish within ${sink.timeoutMs} ms and was killed`));
      if (code === 0) return resolve();
      const why = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = stderr.trim();
      reject(new DeliveryError(`${sink.run} ${why}${tail ? `: ${tail}` : ''}`));
    });
  });
}
