import type { AttemptError, BreakerState, SlowFigure } from '../engine/types.js';
import { formatMs } from './format.js';

/**
 * Pure functions from engine state to what is shown: glyphs, words, colour names, short
 * descriptions. The plain-text reporter and the Ink board both call these, so a state never
 * reads differently in two places. No chalk and no React here — data only.
 */

export { formatCountdown, formatMs } from './format.js';
export { percentile, sparkline } from './series.js';

/** A colour name both chalk and Ink's `<Text color>` understand. */
export type ViewColour = 'green' | 'yellow' | 'red';

/** How a breaker state is shown: a glyph and a word, so it reads without colour too. */
export interface BreakerView {
  glyph: '●' | '◐' | '○';
  word: string;
  colour: ViewColour;
}

const BREAKER_VIEWS: Record<BreakerState, BreakerView> = {
  closed: { glyph: '●', word: 'closed', colour: 'green' },
  'half-open': { glyph: '◐', word: 'half-open', colour: 'yellow' },
  open: { glyph: '○', word: 'open', colour: 'red' },
};

/** `● closed` green, `◐ half-open` yellow, `○ open` red. */
export function breakerView(state: BreakerState): BreakerView {
  // A copy, so a caller that mutates its view cannot change everyone else's.
  return { ...BREAKER_VIEWS[state] };
}

/** A closed breaker whose provider is slow: still used, but not well. */
export const DEGRADED_VIEW: Readonly<BreakerView> = Object.freeze({ glyph: '◐', word: 'degraded', colour: 'yellow' });

/** `degraded (p90 5.2 s > 4 s)`: the flag with the figure that raised it, for every output. */
export function describeDegraded(figure: SlowFigure): string {
  return `degraded (p90 ${formatMs(figure.p90Ms)} > ${formatMs(figure.slowMs)})`;
}

const TIMEOUT_WORDS: Record<NonNullable<AttemptError['timeout']>, string> = {
  call: 'whole call',
  'first-token': 'first token',
  idle: 'idle stream',
};

/**
 * A short, secret-free description of what went wrong, for a table cell or a board line:
 * `503 server error`, `timeout (first token)`, `connection refused`, `401 key rejected`.
 */
export function describeError(error: AttemptError): string {
  const status = error.status;
  switch (error.kind) {
    case 'connection':
      return describeConnection(error.message);
    case 'timeout':
      return error.timeout ? `timeout (${TIMEOUT_WORDS[error.timeout]})` : 'timeout';
    case 'rate-limit': {
      const wait = error.retryAfterMs !== undefined ? `, retry after ${formatMs(error.retryAfterMs)}` : '';
      return `${status ?? 429} rate limited${wait}`;
    }
    case 'server':
      return status === 529 ? '529 overloaded' : `${status ?? '5xx'} server error`;
    case 'malformed':
      return 'malformed response';
    case 'auth':
      return status === 403 ? '403 access denied' : `${status ?? 401} key rejected`;
    case 'quota':
      return `${status ?? 429} out of credit / billing`;
    case 'not-found':
      return `${status ?? 404} model or URL not found`;
    case 'context-length':
      return `${status ?? 400} prompt too long`;
    case 'bad-request':
      return `${status ?? 400} bad request`;
    case 'content-filter':
      return `${status ?? 400} blocked by the content filter`;
    case 'invalid-output':
      return 'invalid output';
    case 'aborted':
      return 'aborted';
    default:
      return assertNever(error.kind);
  }
}

/** Connection failures share one kind; the message (Node's error codes) tells them apart. */
function describeConnection(message: string): string {
  if (/ECONNREFUSED|refused/i.test(message)) return 'connection refused';
  if (/ECONNRESET|EPIPE|socket hang up|reset/i.test(message)) return 'connection reset';
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo|DNS/i.test(message)) return 'DNS lookup failed';
  if (/TLS|SSL|certificate|CERT_/i.test(message)) return 'TLS error';
  // fetch never calls ports on the Fetch standard's block list (9, 25, 6000, ...).
  if (/bad port/i.test(message)) return 'port blocked by fetch';
  return 'connection failed';
}

function assertNever(value: never): never {
  throw new Error(`unhandled failure kind: ${String(value)}`);
}
