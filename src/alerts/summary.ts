import type { AlertError } from './alert.js';

/** The one-line summaries alerts carry: what happened, to whom, and what it means for a person. */

/** `503 server`, `connection`, `401 auth`: an error as short as a pager line allows. */
export function shortError(error: AlertError | undefined): string {
  if (!error) return 'no error recorded';
  return error.status === undefined ? error.kind : `${error.status} ${error.kind}`;
}

/** `1 request`, `3 requests`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `4m 10s`, `2h 5m`, `800 ms`: a duration as a person says it. */
export function humanDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

function foldedNote(folded: number, what: string): string {
  return folded > 0 ? ` ${plural(folded, `more ${what}`)} folded in.` : '';
}

export function failoverSummary(from: string, to: string, reason: string, affected: number, folded: number): string {
  return `${from} is failing; traffic moved to ${to} (${reason || 'failed'}). ${plural(affected, 'request')} affected so far.${foldedNote(folded, 'failover')}`;
}

export function breakerOpenSummary(provider: string, lastError: AlertError | undefined, retryAt: string | undefined, folded: number): string {
  const retry = retryAt ? `; next trial at ${retryAt}` : '';
  return `Circuit breaker of ${provider} opened (${shortError(lastError)})${retry}.${foldedNote(folded, 'opening')}`;
}

export function exhaustedSummary(errors: readonly AlertError[], providers: readonly string[], affected: number, folded: number): string {
  const each = providers.map((provider) => `${provider}: ${shortError(errors.filter((error) => error.provider === provider).at(-1))}`);
  return `Every provider failed (${each.join(', ')}): requests are not being answered. ${plural(affected, 'request')} affected so far.${foldedNote(folded, 'exhausted request')}`;
}

export function authSummary(provider: string, error: AlertError, folded: number): string {
  if (error.kind === 'quota') {
    return `${provider} is out of credit / billing (${shortError(error)}): add credit or raise its spend limit; retrying will not help, and failover is hiding this from users.${foldedNote(folded, 'rejection')}`;
  }
  return `${provider} rejected its API key (${shortError(error)}): fix or replace the key; failover is hiding this from users.${foldedNote(folded, 'rejection')}`;
}

export function recoveredSummary(provider: string, downForMs: number, affected: number): string {
  return `${provider} is answering again after ${humanDuration(downForMs)}; ${plural(affected, 'request')} were affected.`;
}

export function degradedSummary(provider: string, p90Ms: number, slowMs: number, folded: number): string {
  return `${provider} is slow: its p90 time to first token is ${humanDuration(p90Ms)}, over its slowMs of ${humanDuration(slowMs)}. It still answers; its requests are hedged or skipped as onSlow says.${foldedNote(folded, 'slowdown')}`;
}

export function fastAgainSummary(provider: string, slowForMs: number): string {
  return `${provider} is fast again after ${humanDuration(slowForMs)} degraded.`;
}

export function fleetLostSummary(detail: string): string {
  return `The shared health store is unreachable (${detail}): this instance keeps answering on its own breakers and rejoins the fleet when the store is back.`;
}

export function fleetBackSummary(downForMs: number): string {
  return `The shared health store is back after ${humanDuration(downForMs)}: this instance shares breaker state with the fleet again.`;
}
