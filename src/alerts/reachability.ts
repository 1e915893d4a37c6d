import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AlertSinkConfig } from '../config/schema.js';
import { maskSecrets } from '../config/secrets.js';
import { proxyFor } from '../net/proxy.js';
import { formatTarget, reach, targetOf } from '../net/reach.js';
import { sinkLabel } from './label.js';
import { registerSinkSecrets } from './sink-secrets.js';
import { commandPath, isBareName } from './sinks/command.js';

/** Whether a sink could take an alert, found without sending one. */
export interface SinkReachability {
  readonly sink: string;
  readonly ok: boolean;
  /** What was checked or what failed, e.g. `hooks.slack.com:443 accepts TLS connections`. */
  readonly detail: string;
}

export interface ReachabilityOptions {
  /** Where a command sink's relative program is found: the config file's directory. */
  readonly cwd?: string;
  /** Host name resolution (tests inject one so they never ask a real resolver). */
  readonly lookup?: (host: string) => Promise<{ address: string }>;
}

/**
 * Checks a sink without sending anything (`understudy ping`): for a URL, resolve its host and
 * open a TCP connection (and a TLS handshake for https), then close it; for a command, the
 * program exists and is executable. Never throws; the detail never holds a URL's path.
 */
export async function checkSinkReachable(
  sink: AlertSinkConfig,
  timeoutMs: number,
  options: ReachabilityOptions = {},
): Promise<SinkReachability> {
  registerSinkSecrets([sink]);
  const label = sinkLabel(sink);
  try {
    const detail = sink.type === 'command' ? await checkProgram(sink.run, options.cwd) : await checkConnect(sink.url, timeoutMs, options);
    return { sink: label, ok: true, detail };
  } catch (error) {
    return { sink: label, ok: false, detail: maskSecrets(error instanceof Error ? error.message : String(error)) };
  }
}

async function checkConnect(url: string, timeoutMs: number, options: ReachabilityOptions): Promise<string> {
  const proxy = proxyFor(url);
  const target = { ...targetOf(url), ...(proxy ? { proxy } : {}) };
  const reached = await reach(target, AbortSignal.timeout(timeoutMs), options.lookup);
  const via = reached.proxy ? ` through the proxy ${reached.proxy}` : '';
  return `${formatTarget(target)} accepts ${target.tls ? 'TLS' : 'TCP'} connections${via}`;
}

async function checkProgram(run: string, cwd: string | undefined): Promise<string> {
  const resolved = commandPath(run, cwd);
  const bare = isBareName(run);
  const candidates = bare ? onPath(run) : [resolved];
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => undefined);
    if (!info?.isFile()) continue;
    try {
      await access(candidate, constants.X_OK);
    } catch {
      throw new Error(`${run} exists but is not executable (chmod +x it)`);
    }
    return `${run} is executable`;
  }
  throw new Error(bare ? `${run} was not found on PATH` : `${run} was not found (looked in ${path.dirname(resolved)})`);
}

function onPath(name: string): string[] {
  const extensions = process.platform === 'win32' ? (process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return (process.env['PATH'] ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .flatMap((dir) => extensions.map((extension) => path.join(dir, name + extension)));
}
