import { findFaultProblem } from './faults.js';
import type { Fault, FaultScope, ScopedFault } from './faults.js';

/** The `--fault` grammar, as shown in `understudy mock --help`. */
export const FAULT_SPEC_HELP = `
Fault specs (--fault, repeatable: each plays once the previous one's count or time is spent):
  503                     any HTTP status 200-599, with an OpenAI-style error body
  429:retry-after=2       ... with response headers (NAME=VALUE, comma-separated)
  html  html:200          an HTML error page (default 502; 200 = a 200 that is not a completion)
  malformed               a 200 whose JSON body does not parse
  reset                   the connection is reset, no response (ECONNRESET)
  refuse                  the port stops accepting (ECONNREFUSED); takes @DURATION, not xCOUNT
  hang                    accepts the request, never answers
  slow-first-token:5000   headers at once, the first token after 5000 ms (also 5s; alias slow:)
  drop:3                  a stream sends 3 chunks, then the connection drops (alias drop-mid-stream:)
Scope, after the fault (default: until the mock stops):
  slow:2s/10              one request in 10 (the 10th, 20th, ...); the others are answered normally
  503x3                   the next 3 requests only
  503@10s                 for 10 seconds (ms, s or m)
Every request is faulted, /v1/models probes included.`;

/** A `--fault` spec that cannot be read; the message says what is wrong with it. */
export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
  constructor(
    readonly spec: string,
    problem: string,
  ) {
    super(`bad fault spec ${JSON.stringify(spec)}: ${problem}`);
  }
}

const EXPECTED = 'expected a status code (503), html[:STATUS], malformed, reset, refuse, hang, slow-first-token:MS or drop:N';

/**
 * Reads a fault spec such as `503x3`, `429:retry-after=2`, `slow-first-token:5000` or `refuse@10s`
 * (grammar in `FAULT_SPEC_HELP`). Throws a `FaultSpecError` saying what is wrong on anything else.
 */
export function parseFaultSpec(spec: string): ScopedFault {
  const text = spec.trim();
  if (text === '') throw new FaultSpecError(spec, `it is empty; ${EXPECTED}`);
  const { rest, scope } = splitScopeSuffix(spec, text);
  const fault = parseFault(spec, rest);
  const problem = findFaultProblem(fault, scope);
  if (problem) throw new FaultSpecError(spec, problem);
  return { ...fault, ...scope };
}

function splitScopeSuffix(spec: string, text: string): { rest: string; scope: FaultScope } {
  const scope: FaultScope = {};
  let rest = text;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    scope.forMs = parseDuration(spec, rest.slice(at + 1), 'after @', true);
    rest = rest.slice(0, at);
  }
  const count = /x(\d+)$/i.exec(rest);
  if (count) {
    scope.count = Number(count[1]);
    if (scope.count < 1) throw new FaultSpecError(spec, 'the count after x must be at least 1');
    rest = rest.slice(0, count.index);
  }
  const every = /\/(\d+)$/.exec(rest);
  if (every) {
    scope.every = Number(every[1]);
    if (scope.every < 1) throw new FaultSpecError(spec, 'the N after / must be at least 1');
    rest = rest.slice(0, every.index);
  }
  return { rest, scope };
}

function parseFault(spec: string, text: string): Fault {
  const colon = text.indexOf(':');
  const name = (colon >= 0 ? text.slice(0, colon) : text).toLowerCase();
  const argument = colon >= 0 ? text.slice(colon + 1) : undefined;
  const noArgument = (fault: Fault): Fault => {
    if (argument !== undefined) throw new FaultSpecError(spec, `${name} takes no ":${argument}"`);
    return fault;
  };

  if (/^\d+$/.test(name)) {
    const headers = argument === undefined ? undefined : parseHeaders(spec, argument);
    return { type: 'status', status: Number(name), ...(headers ? { headers } : {}) };
  }
  switch (name) {
    case 'html':
      if (argument === undefined) return { type: 'html' };
      if (!/^\d+$/.test(argument)) throw new FaultSpecError(spec, `html takes a status code (html:200), not "${argument}"`);
      return { type: 'html', status: Number(argument) };
    case 'malformed':
    case 'malformed-json':
      return noArgument({ type: 'malformed-json' });
    case 'reset':
    case 'refuse':
    case 'hang':
      return noArgument({ type: name });
    case 'slow':
    case 'slow-first-token':
      if (argument === undefined) throw new FaultSpecError(spec, `${name} needs a delay, e.g. ${name}:5000 or ${name}:5s`);
      return { type: 'slow-first-token', delayMs: parseDuration(spec, argument, `after ${name}:`, false) };
    case 'drop':
    case 'drop-mid-stream':
      if (argument === undefined || !/^\d+$/.test(argument)) {
        throw new FaultSpecError(spec, `${name} needs the number of chunks to send before dropping, e.g. ${name}:3`);
      }
      return { type: 'drop-mid-stream', afterChunks: Number(argument) };
    default:
      throw new FaultSpecError(spec, `unknown fault "${name}"; ${EXPECTED}, then optionally xCOUNT or @DURATION`);
  }
}

function parseHeaders(spec: string, text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(.*)$/.exec(pair.trim());
    if (!match) throw new FaultSpecError(spec, `"${pair}" is not a header: write NAME=VALUE, e.g. 429:retry-after=2`);
    headers[match[1]!.toLowerCase()] = match[2]!;
  }
  return headers;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 };

/** `250ms`, `10s`, `2m`; a bare number is milliseconds unless a unit is required. */
function parseDuration(spec: string, text: string, where: string, unitRequired: boolean): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/i.exec(text.trim());
  if (!match || (unitRequired && match[2] === undefined)) {
    const example = unitRequired ? '10s, 500ms or 2m' : '5000 (ms), 5s or 500ms';
    throw new FaultSpecError(spec, `"${text}" ${where} is not a duration; write e.g. ${example}`);
  }
  return Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 'ms').toLowerCase()]!);
}
