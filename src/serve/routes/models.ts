import type { RouteHandler } from '../context.js';
import { sendJson } from '../respond.js';

/**
 * `GET /v1/models`: the config's model aliases (owned by `understudy`), then the providers'
 * models, each owned by its provider, from config alone (no provider is called). Any model name
 * is accepted on a completion: it is an alias.
 */
export const listModels: RouteHandler = (context, _req, res) => {
  const seen = new Set<string>(Object.keys(context.routes));
  const data: Array<{ id: string; object: 'model'; created: number; owned_by: string }> = [...seen].map((id) => ({
    id,
    object: 'model',
    created: 0,
    owned_by: 'understudy',
  }));
  for (const provider of context.engine.state()) {
    if (seen.has(provider.model)) continue;
    seen.add(provider.model);
    data.push({ id: provider.model, object: 'model', created: 0, owned_by: provider.name });
  }
  sendJson(res, 200, { object: 'list', data });
};
