import type { ProviderState } from '../../engine/types.js';
import type { RouteHandler } from '../context.js';
import { sendJson } from '../respond.js';

/**
 * `GET /readyz`: 200 while at least one provider is usable, 503 when none is. Usable means its
 * breaker is not open, or its cool-down has passed so it would take a trial now: otherwise a
 * load balancer that stops sending traffic on 503 would keep every breaker open for ever,
 * since only a request can close one (unless the background probe is on).
 */
export const readyz: RouteHandler = (context, _req, res) => {
  const now = context.clock.now();
  const providers = context.engine.state().map((provider) => ({ name: provider.name, breaker: provider.breaker, usable: usable(provider, now) }));
  const ready = providers.some((provider) => provider.usable);
  sendJson(res, ready ? 200 : 503, { ready, providers });
};

function usable(provider: ProviderState, now: number): boolean {
  return provider.breaker !== 'open' || (provider.retryAt !== undefined && provider.retryAt <= now);
}
