import { MalformedResponseError } from '../engine/classify.js';

/**
 * A provider answered a call with a redirect. Neither transport follows one, for any call: the
 * request carries the key in its Authorization header, which must not reach an address nobody
 * configured, and a base URL that redirects is wrong anyway (http:// for https://, a moved
 * API), so the fix is to change it. Classed as a malformed answer: retried, then failed over.
 */
export class RedirectRefusedError extends MalformedResponseError {
  constructor(status: number, location: string | null | undefined, callURL: string) {
    const target = resolved(location, callURL);
    const base = target ? baseURLFor(target, callURL) : undefined;
    const fix = base ? `set the provider's baseURL to ${base}` : "check the provider's baseURL";
    super(`redirected (${status}) to ${target ? shown(target) : 'nowhere'}; redirects are not followed (the key would go along): ${fix}`);
  }
}

function resolved(location: string | null | undefined, callURL: string): URL | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, callURL);
  } catch {
    return undefined;
  }
}

/** The address without credentials, query or fragment: a signed URL's token is none of a log's business. */
function shown(url: URL): string {
  return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
}

/** When the redirect keeps the call's own path (`…/v1/models` → `https://…/v1/models`), the base URL it implies. */
function baseURLFor(target: URL, callURL: string): string | undefined {
  const callPath = /\/(models|chat\/completions)$/.exec(new URL(callURL).pathname)?.[0];
  if (!callPath || !target.pathname.endsWith(callPath)) return undefined;
  return `${target.origin}${target.pathname.slice(0, -callPath.length)}`;
}
