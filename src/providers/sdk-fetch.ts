import type { Dispatcher } from 'undici';
import type { Connection } from '../net/connection.js';
import { ProxyRefusedError, ProxyUnreachableError } from '../net/tunnel-agent.js';

type Fetch = typeof fetch;

/**
 * The fetch the SDK transport calls, made to connect as the http transport does: through the
 * provider's proxy and trusting its CA. Node's own fetch takes no agent, so such a provider is
 * called through undici's fetch with a ProxyAgent (a CONNECT tunnel for https, absolute form for
 * http) or an Agent with the CA; every other provider keeps the fetch it had (the global one, or
 * an injected one). A proxy's refusal is the same ProxyRefusedError either transport throws.
 */
export function connectedFetch(connection: Connection, base: Fetch | undefined): Fetch | undefined {
  const { proxy, ca } = connection;
  if (!proxy && !ca) return base;
  let dispatcher: Promise<{ fetch: Fetch; dispatcher: Dispatcher }> | undefined;
  const connect = () =>
    (dispatcher ??= import('undici').then((undici) => {
      const requestTls = ca ? { ca: [...ca] } : undefined;
      const agent: Dispatcher = proxy
        ? new undici.ProxyAgent({
            // Credentials go as a header of their own, so the URL undici keeps (and may quote) has none.
            uri: proxy.display,
            ...(proxy.authorization ? { token: proxy.authorization } : {}),
            ...(requestTls ? { requestTls } : {}),
            // Plain-http targets go in absolute form, as curl and the http transport send them.
            proxyTunnel: false,
          })
        : new undici.Agent({ connect: requestTls ?? {} });
      return { fetch: undici.fetch as unknown as Fetch, dispatcher: agent };
    }));
  return async (input, init) => {
    const { fetch: undiciFetch, dispatcher: agent } = await connect();
    const target = new URL(input instanceof Request ? input.url : String(input));
    let response: Response;
    try {
      response = await undiciFetch(input, { ...init, dispatcher: agent } as unknown as RequestInit);
    } catch (error) {
      throw proxy ? proxyFailure(error, proxy.display, target) ?? error : error;
    }
    if (proxy && response.status === 407 && target.protocol === 'http:') {
      await response.body?.cancel();
      throw new ProxyRefusedError(proxy.display, target.host, 407);
    }
    return response;
  };
}

/** undici's words for a proxy that refused or could not be reached, made the http transport's errors. */
function proxyFailure(error: unknown, proxy: string, target: URL): Error | undefined {
  const authority = `${target.hostname}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`;
  // fetch nests the dispatcher's error a level or two down ("fetch failed" → ... → the cause).
  let cause: unknown = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++, cause = cause.cause) {
    // "Proxy response (407) !== 200 when HTTP Tunneling"; "Proxy Authentication Required (407)".
    const refused = /^Proxy .*\((\d{3})\)/.exec(cause.message);
    if (refused) return new ProxyRefusedError(proxy, target.protocol === 'https:' ? authority : target.host, Number(refused[1]));
    const code = (cause as { code?: unknown }).code;
    // Every connection goes to the proxy, so failing to open one at all is failing to reach it.
    if (typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(code)) {
      return new ProxyUnreachableError(proxy, cause);
    }
  }
  return undefined;
}
