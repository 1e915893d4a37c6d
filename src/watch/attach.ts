import { registerSecret } from '../config/secrets.js';
import { UsageError } from '../terminal/exit-codes.js';
import type { WatchOptions } from './options.js';

/** What `--attach` points at: a gateway's event stream, or a fleet's shared keys. */
export type AttachTarget =
  | { readonly kind: 'gateway'; readonly url: string; readonly token?: string }
  | { readonly kind: 'fleet'; readonly url: string };

const ACCEPTED = 'a gateway (http:// or https://, e.g. http://127.0.0.1:4141) or a fleet\'s Redis (redis:// or rediss://)';

/**
 * `--attach` and the options it combines with, checked before anything starts. An attached watch
 * observes something running elsewhere, so the local probe's options (`--offline`,
 * `--completion`) are usage errors; a gateway names its own providers, so `--config` and
 * `--interval` are too; a fleet takes both (the config for provider order and models, the
 * interval for polling). Undefined without `--attach`.
 */
export function parseAttach(options: WatchOptions, env: NodeJS.ProcessEnv = process.env): AttachTarget | undefined {
  if (options.attach === undefined) {
    if (options.prefix !== undefined) throw new UsageError('--prefix names a fleet, so it goes with --attach redis://…', 'e.g. understudy watch --attach redis://127.0.0.1:6379/0 --prefix understudy:prod');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(options.attach);
  } catch {
    throw new UsageError(`--attach takes ${ACCEPTED}; "${options.attach}" is not a URL`);
  }
  // The URL may carry a Redis password: from here on, no output shows it.
  registerSecret(url.password ? decodeURIComponent(url.password) : undefined);
  const scheme = url.protocol.replace(/:$/, '');
  const kind = scheme === 'http' || scheme === 'https' ? 'gateway' : scheme === 'redis' || scheme === 'rediss' ? 'fleet' : undefined;
  if (!kind) throw new UsageError(`--attach takes ${ACCEPTED}, not a ${scheme}:// URL`);
  if (options.offline) throw new UsageError('--attach watches something already running; --offline starts local mock providers', 'leave out one of --attach and --offline');
  if (options.completion) throw new UsageError('--completion picks what the local probe sends; an attached watch sends no probes', 'leave out --completion');
  if (kind === 'fleet') {
    if (options.prefix !== undefined && options.prefix.trim() === '') throw new UsageError('--prefix must not be empty');
    return { kind, url: options.attach };
  }
  if (options.config !== undefined) {
    throw new UsageError("--config is not used with --attach http…: the gateway's own snapshot names its providers, models and settings", 'leave out --config');
  }
  if (options.interval !== undefined) throw new UsageError('--interval paces probes and fleet polls; a gateway pushes its events as they happen', 'leave out --interval');
  if (options.prefix !== undefined) throw new UsageError('--prefix names a fleet in Redis; it does not apply to a gateway');
  // `http://host:4141/v1` is what clients are given; the events live beside /v1, not under it.
  const path = url.pathname.replace(/\/v1\/?$/, '').replace(/\/+$/, '');
  const token = env['UNDERSTUDY_GATEWAY_TOKEN'] || undefined;
  registerSecret(token);
  return { kind, url: `${url.protocol}//${url.host}${path}`, ...(token ? { token } : {}) };
}
