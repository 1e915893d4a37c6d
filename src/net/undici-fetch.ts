import type { Dispatcher } from 'undici';
import type { Connection } from './connection.js';
import { proxyFor } from './proxy.js';

type Fetch = typeof fetch;

/**
 * A fetch that connects as `connection` says. Node's own fetch takes no agent, so this is
 * undici's fetch over a ProxyAgent (a CONNECT tunnel for https, absolute form for plain http,
 * as curl) or an Agent trusting the CA; undici is loaded at the first call.
 */
export function fetchOver({ proxy, ca }: Connection): () => Promise<Fetch> {
  let loaded: Promise<Fetch> | undefined;
  return () =>
    (loaded ??= import('undici').then((undici) => {
      const requestTls = ca ? { ca: [...ca] } : undefined;
      const dispatcher: Dispatcher = proxy
        ? new undici.ProxyAgent({
            // Credentials go as a header of their own, so the URL undici keeps (and may quote) has none.
            uri: proxy.display,
            ...(proxy.authorization ? { token: proxy.authorization } : {}),
            ...(requestTls ? { requestTls } : {}),
            proxyTunnel: false,
          })
        : new undici.Agent({ connect: requestTls ?? {} });
      return ((input: Parameters<Fetch>[0], init?: RequestInit) => undici.fetch(input as never, { ...init, dispatcher } as never)) as unknown as Fetch;
    }));
}

const byProxy = new Map<string, () => Promise<Fetch>>();

/**
 * The fetch for a one-off call to `url` (an alert's webhook) that must cross the same proxy as
 * provider calls: the global fetch when no proxy applies, else one shared per proxy.
 */
export async function fetchFor(url: string): Promise<Fetch> {
  const proxy = proxyFor(url);
  if (!proxy) return fetch;
  const key = `${proxy.display} ${proxy.authorization ?? ''}`;
  let load = byProxy.get(key);
  if (!load) byProxy.set(key, (load = fetchOver({ proxy })));
  return load();
}
