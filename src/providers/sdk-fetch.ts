import type { Connection } from '../net/connection.js';
import { fetchOver } from '../net/undici-fetch.js';
import { ProxyRefusedError, ProxyUnreachableError } from '../net/tunnel-agent.js';
import { RedirectRefusedError } from './redirect.js';

type Fetch = typeof fetch;

/**
 * The fetch the SDK transport calls, made to connect as the http transport does: through the
 * provider's proxy, trusting its CA, and never following a redirect (RedirectRefusedError).
 * A provider with a proxy or a CA is called through undici's fetch (`fetchOver`); any other
 * keeps the fetch it had (the global one, or an injected one). A proxy's refusal is the same
 * ProxyRefusedError either transport throws.
 */
export function providerFetch(connection: Connection, injected: Fetch | undefined): Fetch {
  const { proxy, ca } = connection;
  // An injected fetch (tests, fault injection) is used as given: it decides how it connects.
  const underlying = !injected && (proxy || ca) ? fetchOver(connection) : undefined;
  return async (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    const call = underlying ? await underlying() : (injected ?? fetch);
    const send = (through: Fetch) => through(input, { ...init, redirect: 'manual' });
    let response: Response;
    try {
      response = await send(call).catch(async (error: unknown) => {
        // As the http transport: a pooled socket the server closed while idle is retried once,
        // on a connection of its own (the pool's other idle sockets are likely closed too).
        if (injected || init?.signal?.aborted || !closedWhileIdle(error)) throw error;
        return send(await fetchOver(connection)());
      });
    } catch (error) {
      throw proxy ? (proxyFailure(error, proxy.display, target) ?? error) : error;
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new RedirectRefusedError(response.status, response.headers.get('location'), target.href);
    }
    if (proxy && response.status === 407 && target.protocol === 'http:') {
      await response.body?.cancel();
      throw new ProxyRefusedError(proxy.display, target.host, 407);
    }
    return response;
  };
}

/**
 * The SDK wraps whatever its fetch throws in an APIConnectionError; a refused redirect is not a
 * connection failure, so it is handed on as the http transport throws it.
 */
export async function unwrapRefusedRedirect<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const cause = (error as { cause?: unknown } | null)?.cause;
    throw cause instanceof RedirectRefusedError ? cause : error;
  }
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

/**
 * undici's "other side closed" on a socket that had already read an answer: the server closed
 * a kept-alive connection while it sat idle and this request never reached it. (A reset carries
 * no socket facts, so it cannot be told from a provider resetting a fresh connection, and is
 * left to the engine.)
 */
function closedWhileIdle(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | null)?.cause as { code?: unknown; socket?: { bytesRead?: unknown } } | undefined;
  return cause?.code === 'UND_ERR_SOCKET' && typeof cause.socket?.bytesRead === 'number' && cause.socket.bytesRead > 0;
}
