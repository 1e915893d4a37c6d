import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import type { AlertSinkConfig } from '../config/schema.js';
import { maskSecrets } from '../config/secrets.js';
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
  const parsed = new URL(url);
  const secure = parsed.protocol === 'https:';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port ? Number(parsed.port) : secure ? 443 : 80;
  const where = `${parsed.hostname}:${port}`;
  const deadline = Date.now() + timeoutMs;

  let address = host;
  if (!net.isIP(host)) {
    try {
      address = (await withTimeout((options.lookup ?? lookup)(host), timeoutMs, `DNS lookup of ${host}`)).address;
    } catch (error) {
      throw new Error(`DNS lookup of ${host} failed${codeSuffix(error)}`, { cause: error });
    }
  }
  await connect(address, port, secure ? host : undefined, Math.max(1, deadline - Date.now()), where);
  return `${where} accepts ${secure ? 'TLS' : 'TCP'} connections`;
}

/** Opens (and at once closes) a TCP or TLS connection; rejects naming the step that failed. */
function connect(address: string, port: number, tlsHost: string | undefined, timeoutMs: number, where: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tlsHost
      ? tls.connect({ host: address, port, ...(net.isIP(tlsHost) ? {} : { servername: tlsHost }) })
      : net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection to ${where} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(tlsHost ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(`${tlsHost ? 'TLS/TCP' : 'TCP'} connection to ${where} failed${codeSuffix(error)}`));
    });
  });
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

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function codeSuffix(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}
