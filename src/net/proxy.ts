import net from 'node:net';
import { getProxyForUrl } from 'proxy-from-env';
import { ConfigError } from '../config/normalize.js';
import { registerSecret } from '../config/secrets.js';

/**
 * Which proxy, if any, a provider's requests go through, from the environment as curl and most
 * tools read it: `HTTPS_PROXY` for https base URLs, `HTTP_PROXY` for http ones, `ALL_PROXY` for
 * both (lower-case names win), unless `NO_PROXY` lists the host (`host`, `.suffix` or
 * `*.suffix`, `host:port`, or `*` for none). The rules are proxy-from-env's, so that both
 * transports and ping agree on them.
 */

/** A proxy to send a provider's requests through. */
export interface ProxyRoute {
  /** The proxy URL, credentials included: only for connecting, never for a message. */
  readonly url: URL;
  /** `http://proxy.corp:3128`: the proxy without its credentials, for messages. */
  readonly display: string;
  /** The `Proxy-Authorization` value when the URL carries credentials. */
  readonly authorization?: string;
}

/**
 * The proxy for requests to `baseURL`, or undefined to connect directly. Loopback hosts are
 * never proxied (as Go's and Python's clients do): a local model server or the offline mock
 * must not be sent to a corporate proxy that cannot reach this machine's 127.0.0.1. Throws a
 * ConfigError naming the variable when its value is not an http(s) proxy URL; the value is
 * never quoted, since it may carry a password.
 */
export function proxyFor(baseURL: string): ProxyRoute | undefined {
  const target = new URL(baseURL);
  if (isLoopback(target.hostname)) return undefined;
  const raw = getProxyForUrl(target);
  if (!raw) return undefined;
  const variable = proxyVariable(target.protocol);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw proxyError(variable, 'not a URL (expected http://host:port, optionally with user:password@)');
  }
  // Registered before anything can fail or print: from here on the password is masked everywhere.
  const password = url.password ? decodeURIComponent(url.password) : '';
  registerSecret(password);
  registerSecret(url.password);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw proxyError(variable, `${url.protocol.replace(/:$/, '')} proxies are not supported (http:// or https:// only)`);
  }
  const credentials = url.username || url.password ? `${decodeURIComponent(url.username)}:${password}` : undefined;
  return {
    url,
    display: `${url.protocol}//${url.host}`,
    ...(credentials === undefined ? {} : { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }),
  };
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and ::1. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

/** The variable the proxy came from, in the order proxy-from-env reads them. */
function proxyVariable(protocol: string): string {
  const scheme = protocol.replace(/:$/, '');
  const names = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY'];
  return names.find((name) => process.env[name]) ?? names[1]!;
}

function proxyError(variable: string, message: string): ConfigError {
  return new ConfigError([{ path: `${variable} (environment)`, message }]);
}
