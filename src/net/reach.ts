import { lookup as dnsLookup } from 'node:dns/promises';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { CancelSignal } from '../engine/cancellation.js';
import type { ProxyRoute } from './proxy.js';
import { openTunnel, ProxyRefusedError, ProxyUnreachableError } from './tunnel-agent.js';

/**
 * The reach check's network part: resolve the base URL's host, open a TCP connection and, for
 * https, finish a TLS handshake — one step at a time, so a failure says which step failed
 * (DNS, TCP or TLS) instead of the single "fetch failed" a request would give.
 */

/** Where a base URL's requests go. */
export interface ReachTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** Connect through this proxy, as the provider's requests do. */
  readonly proxy?: ProxyRoute;
  /** The certificates the TLS step trusts, as the provider's requests do; default Node's. */
  readonly ca?: readonly string[];
}

/** The step of connecting that failed; `proxy`: the proxy would not open a tunnel (`code` is its status). */
export type ReachPhase = 'dns' | 'tcp' | 'proxy' | 'tls';

/** Resolves a host name to one address (injectable, so tests never query a real resolver). */
export type HostLookup = (host: string) => Promise<{ address: string }>;

/** A failed connection attempt: the step, and Node's error code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED...). */
export class ReachError extends Error {
  override readonly name = 'ReachError';
  constructor(
    readonly phase: ReachPhase,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** What a successful connection found. */
export interface Reached {
  /** The address the host resolved to. */
  readonly address: string;
  /** Milliseconds per step; `tls` only for https. */
  readonly dnsMs: number;
  readonly tcpMs: number;
  readonly tlsMs?: number;
  /** The proxy the connection went through (no credentials). */
  readonly proxy?: string;
}

/** The host, port and scheme a base URL connects to (port 443 or 80 when the URL has none). */
export function targetOf(baseURL: string): ReachTarget {
  const url = new URL(baseURL);
  const secure = url.protocol === 'https:';
  // URL keeps IPv6 literals bracketed; sockets want them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: url.port ? Number(url.port) : secure ? 443 : 80, tls: secure };
}

/** `host:port`, with an IPv6 host bracketed, as people write it. */
export function formatTarget(target: Pick<ReachTarget, 'host' | 'port'>): string {
  return net.isIPv6(target.host) ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/**
 * Connects to `target` and closes the connection again. Rejects with a ReachError naming the
 * step that failed — also when `signal` aborts (the caller's timer), so a timeout can say
 * which step it interrupted.
 */
export async function reach(target: ReachTarget, signal: CancelSignal, lookup: HostLookup = defaultLookup): Promise<Reached> {
  if (target.proxy) return reachThroughProxy(target, target.proxy, signal, lookup);
  let startedAt = performance.now();
  const address = net.isIP(target.host) ? target.host : await resolveHost(target.host, lookup, signal);
  const dnsMs = performance.now() - startedAt;

  startedAt = performance.now();
  const socket = await connectTcp(address, target.port, signal);
  const tcpMs = performance.now() - startedAt;
  if (!target.tls) {
    socket.destroy();
    return { address, dnsMs, tcpMs };
  }

  startedAt = performance.now();
  try {
    await handshake(socket, target.host, signal, target.ca);
  } finally {
    socket.destroy();
  }
  return { address, dnsMs, tcpMs, tlsMs: performance.now() - startedAt };
}

/**
 * Behind a proxy, this machine never connects to the provider itself: an https provider is
 * reached as its requests are (a CONNECT tunnel, then TLS inside it), a plain-http one only as
 * far as the proxy (a tunnel to port 80 is something many proxies forbid, and requests do not
 * need one). The DNS and TCP steps are then the proxy's.
 */
async function reachThroughProxy(target: ReachTarget, proxy: ProxyRoute, signal: CancelSignal, lookup: HostLookup): Promise<Reached> {
  if (!target.tls) {
    const proxyURL = new URL(proxy.url.href);
    const reached = await reach(
      { host: proxyURL.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(proxyURL.port) || (proxyURL.protocol === 'https:' ? 443 : 80), tls: false },
      signal,
      lookup,
    );
    return { ...reached, proxy: proxy.display };
  }
  let startedAt = performance.now();
  const tunnel = await tunnelThrough(proxy, target, signal);
  const tcpMs = performance.now() - startedAt;
  startedAt = performance.now();
  try {
    await handshake(tunnel, target.host, signal, target.ca);
  } finally {
    tunnel.destroy();
  }
  return { address: target.host, dnsMs: 0, tcpMs, tlsMs: performance.now() - startedAt, proxy: proxy.display };
}

async function tunnelThrough(proxy: ProxyRoute, target: ReachTarget, signal: CancelSignal): Promise<Duplex> {
  const opening = openTunnel(proxy, target.host, target.port);
  // A tunnel that opens after the caller gave up is closed at once.
  opening.then((tunnel) => signal.aborted && tunnel.destroy(), () => {});
  try {
    return await untilAborted(opening, signal, 'proxy');
  } catch (error) {
    if (error instanceof ProxyRefusedError) throw new ReachError('proxy', String(error.status), error.message);
    if (error instanceof ProxyUnreachableError) throw new ReachError('tcp', error.code, error.message);
    throw error;
  }
}

function defaultLookup(host: string): Promise<{ address: string }> {
  return dnsLookup(host);
}

async function resolveHost(host: string, lookup: HostLookup, signal: CancelSignal): Promise<string> {
  try {
    return (await untilAborted(lookup(host), signal, 'dns')).address;
  } catch (error) {
    if (error instanceof ReachError) throw error;
    const code = codeOf(error);
    throw new ReachError('dns', code, `DNS lookup of ${host} failed${code ? ` (${code})` : ''}`);
  }
}

function connectTcp(address: string, port: number, signal: CancelSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortedIn('tcp'));
    const socket = net.connect({ host: address, port });
    const onAbort = () => {
      socket.destroy();
      reject(abortedIn('tcp'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      // Later errors belong to the TLS step (or nobody, once destroyed); an 'error' event with no
      // listener would crash the process.
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      const code = codeOf(error);
      reject(new ReachError('tcp', code, `TCP connection to ${formatTarget({ host: address, port })} failed${code ? ` (${code})` : ''}`));
    });
  });
}

function handshake(socket: Duplex, host: string, signal: CancelSignal, ca: readonly string[] | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortedIn('tls'));
    // SNI takes a name, never an address.
    const secure = tls.connect({ socket, ...(net.isIP(host) ? {} : { servername: host }), ...(ca ? { ca: [...ca] } : {}) });
    const onAbort = () => {
      secure.destroy();
      reject(abortedIn('tls'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    secure.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      secure.destroy();
      resolve();
    });
    secure.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      secure.destroy();
      const code = codeOf(error);
      // OpenSSL's `reason` is the readable part; its message carries file names and line numbers.
      const reason = (error as { reason?: unknown }).reason;
      const why = typeof reason === 'string' ? `: ${reason}` : '';
      reject(new ReachError('tls', code, `TLS handshake with ${host} failed${code ? ` (${code})` : ''}${why}`));
    });
  });
}

function abortedIn(phase: ReachPhase): ReachError {
  return new ReachError(phase, undefined, `the ${phase.toUpperCase()} step was cut short`);
}

function untilAborted<T>(promise: Promise<T>, signal: CancelSignal, phase: ReachPhase): Promise<T> {
  if (signal.aborted) return Promise.reject(abortedIn(phase));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortedIn(phase));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
