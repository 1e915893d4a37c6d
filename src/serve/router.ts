import type { RouteHandler } from './context.js';
import { chatCompletions } from './routes/chat-completions.js';
import { events } from './routes/events.js';
import { healthz } from './routes/healthz.js';
import { metrics } from './routes/metrics.js';
import { listModels } from './routes/models.js';
import { readyz } from './routes/readyz.js';

/** One endpoint of the gateway. */
export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly handler: RouteHandler;
  /** Open to anyone who can reach the port: probes from a load balancer or orchestrator carry no token. */
  readonly public?: boolean;
}

/** Every endpoint the gateway serves. */
export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/v1/chat/completions', handler: chatCompletions },
  { method: 'GET', path: '/v1/models', handler: listModels },
  { method: 'GET', path: '/healthz', handler: healthz, public: true },
  { method: 'GET', path: '/readyz', handler: readyz, public: true },
  { method: 'GET', path: '/metrics', handler: metrics },
  { method: 'GET', path: '/events', handler: events },
];

/** What a request's method and path lead to. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route }
  | { readonly kind: 'wrong-method'; readonly allowed: string }
  | { readonly kind: 'not-found' };

const byPath = new Map<string, Route[]>();
for (const route of ROUTES) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);

/** Finds the route for a request; a trailing slash and the query string are ignored. */
export function matchRoute(method: string | undefined, url: string | undefined): RouteMatch {
  const path = pathOf(url);
  const routes = byPath.get(path);
  if (!routes) return { kind: 'not-found' };
  const route = routes.find((candidate) => candidate.method === method || (method === 'HEAD' && candidate.method === 'GET'));
  return route ? { kind: 'found', route } : { kind: 'wrong-method', allowed: routes.map((candidate) => candidate.method).join(', ') };
}

/** The path of a request URL without its query, and without a trailing slash (but `/` stays). */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  const path = query < 0 ? raw : raw.slice(0, query);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
