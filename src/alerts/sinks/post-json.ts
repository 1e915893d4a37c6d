import { fetchFor } from '../../net/undici-fetch.js';

/** What a failed send says, without the URL (the caller's label names the sink). */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}

/** Longest part of a receiver's error body quoted in a failure ("invalid_payload", "no_service"). */
const MAX_QUOTED_BODY = 200;

export interface PostOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

/**
 * POSTs `body` as JSON and resolves when a 2xx arrives; rejects with a DeliveryError that
 * names what went wrong (status, timeout, refused) and never the URL. The timeout covers the
 * whole exchange, body included, so a receiver that hangs after its headers cannot hold on.
 */
export async function postJson(url: string, body: unknown, options: PostOptions): Promise<void> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    // Through HTTPS_PROXY / HTTP_PROXY like provider calls: a corporate network's only way out.
    const fetchImpl = options.fetch ?? (await fetchFor(url));
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'understudy-alerts', ...options.headers },
      body: JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    if (!response.ok) {
      const quoted = text.trim().slice(0, MAX_QUOTED_BODY);
      throw new DeliveryError(`HTTP ${response.status}${quoted ? `: ${quoted}` : ''}`);
    }
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    if (signal.aborted) throw new DeliveryError(`no answer within ${options.timeoutMs} ms`);
    throw new DeliveryError(describeNetworkError(error));
  }
}

/** `connect ECONNREFUSED 127.0.0.1:9` rather than undici's bare "fetch failed". */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const text = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
}
