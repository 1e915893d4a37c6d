/** `primary 2 requests, 310 tokens · backup 2 requests, 290 tokens`: what a scenario's calls cost, per provider. */
export function describeCost(cost: { readonly requests: Readonly<Record<string, number>>; readonly tokens: Readonly<Record<string, number>> }): string {
  return Object.entries(cost.requests)
    .map(([provider, calls]) => `${provider} ${calls} request${calls === 1 ? '' : 's'}, ${cost.tokens[provider] ?? 0} tokens`)
    .join(' · ');
}
