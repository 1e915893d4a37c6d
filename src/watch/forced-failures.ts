import type { UnderstudyConfig } from '../config/schema.js';

/**
 * "Force this provider to fail", for the interactive drill in `watch`, without touching the
 * engine: every provider's requests carry a tag header naming it, and a fetch wrapper answers
 * a forced provider's requests with a 503 before anything leaves the machine. The engine, its
 * classification and its breakers all see an ordinary server error.
 *
 * A header rather than the base URL, because two providers may share one URL (two models of
 * the same vendor) and only one of them should fail.
 */

/** Names the provider a request belongs to; stripped before the request goes out. */
export const PROVIDER_TAG_HEADER = 'x-understudy-watch-provider';

/** The message a forced failure carries, so nobody mistakes it for a real outage. */
export const FORCED_FAILURE_MESSAGE = 'forced to fail by understudy watch';

/** The config with each provider's requests tagged with its name. */
export function tagProviders(config: UnderstudyConfig): UnderstudyConfig {
  return {
    ...config,
    providers: config.providers.map((provider) => ({
      ...provider,
      headers: { ...provider.headers, [PROVIDER_TAG_HEADER]: provider.name },
    })),
  };
}

/** Which providers are forced to fail; the fetch from `forcedFailureFetch` reads it on every request. */
export class ForcedFailures {
  private readonly names = new Set<string>();

  has(provider: string): boolean {
    return this.names.has(provider);
  }

  /** Forces the provider to fail, or restores it; returns whether it is forced now. */
  toggle(provider: string): boolean {
    if (this.names.delete(provider)) return false;
    this.names.add(provider);
    return true;
  }

  /** The forced providers' names. */
  list(): ReadonlySet<string> {
    return new Set(this.names);
  }
}

/**
 * A fetch that fails a forced provider's requests with a 503 and passes every other request to
 * `base` without the tag header.
 */
export function forcedFailureFetch(forced: ForcedFailures, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const provider = headers.get(PROVIDER_TAG_HEADER);
    if (provider !== null && forced.has(provider)) {
      return new Response(JSON.stringify({ error: { message: FORCED_FAILURE_MESSAGE, type: 'server_error', code: 'forced_failure' } }), {
        status: 503,
        headers: { 'content-type': 'application/json' },
      });
    }
    headers.delete(PROVIDER_TAG_HEADER);
    return base(input, { ...init, headers });
  };
}
