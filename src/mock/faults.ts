import type { IncomingMessage, ServerResponse } from 'node:http';
import { openAIError } from './openai-shapes.js';

/**
 * A failure a mock provider or the fault proxy plays instead of (or into) a normal answer.
 * A discriminated union on `type`: other parts of understudy build these, so it is a contract.
 */
export type Fault =
  /** Answer with this status; the body defaults to an OpenAI-shaped error for the status. */
  | { type: 'status'; status: number; body?: string | object; headers?: Record<string, string> }
  /** An HTML error page (default 502); with status 200 it is "a 200 that is not a completion". */
  | { type: 'html'; status?: number }
  /** 200, `application/json`, a body that is not JSON (an SSE event that is not JSON for a stream). */
  | { type: 'malformed-json' }
  /** Destroy the connection with a TCP reset and no response: ECONNRESET at the client. */
  | { type: 'reset' }
  /** Stop accepting connections: ECONNREFUSED at the client. Cuts open connections too. */
  | { type: 'refuse' }
  /** Accept the request and never answer, until the client or `close()` ends the connection. */
  | { type: 'hang' }
  /** Stream: headers at once, then silence for `delayMs` before the normal stream. Otherwise: the whole answer is late. */
  | { type: 'slow-first-token'; delayMs: number }
  /** Stream: send `afterChunks` SSE events, then reset the connection (no `[DONE]`). Otherwise: half the body, then reset. */
  | { type: 'drop-mid-stream'; afterChunks: number };

/** The fault names, for messages and validation. */
export type FaultType = Fault['type'];

/** How long a fault lasts and which requests it hits. With neither `count` nor `forMs` it lasts until changed. */
export interface FaultScope {
  /** The fault is played on the next `count` requests it applies to, then the provider is healthy. Not for `refuse`. */
  count?: number;
  /** The fault lasts this long (real time) from when it takes effect. */
  forMs?: number;
  /** The fault hits one request in every `every` it applies to (the last of each group), the others are answered normally: a slow tail. */
  every?: number;
  /** `all` (default): every request, `/models` probes included; `completions`: chat completions only. */
  paths?: 'all' | 'completions';
}

/** A fault with its scope in one object, as `parseFaultSpec` returns it and `setFault` accepts it. */
export type ScopedFault = Fault & FaultScope;

/** Which endpoint a request is for, as far as faults and counters care. */
export type Route = 'completions' | 'models' | 'other';

/** What a fault needs to know about the request it is played on. */
export interface RequestInfo {
  readonly route: Route;
  /** The request asked for `stream: true`. */
  readonly stream: boolean;
}

/** Splits a scoped fault into the fault and its scope. */
export function splitScope(fault: Fault | ScopedFault, scope: FaultScope = {}): { fault: Fault; scope: FaultScope } {
  const { count, forMs, paths, every, ...rest } = fault as ScopedFault;
  return { fault: rest as Fault, scope: { count, forMs, paths, every, ...definedOnly(scope) } };
}

/** True when a fault with this scope hits a request for this route. */
export function faultApplies(fault: Fault, scope: FaultScope, route: Route): boolean {
  if (fault.type === 'refuse') return false; // played on the listener, not on requests
  return (scope.paths ?? 'all') === 'all' || route === 'completions';
}

/**
 * Plays the faults that replace the answer entirely (status, html, malformed-json, reset, hang).
 * Returns false for the others, which shape a normal answer instead (see `AnswerWriter`).
 */
export function playTerminalFault(fault: Fault, request: RequestInfo, req: IncomingMessage, res: ServerResponse): boolean {
  switch (fault.type) {
    case 'status':
      sendStatusFault(fault, res);
      return true;
    case 'html':
      sendHtmlPage(fault.status ?? 502, res);
      return true;
    case 'malformed-json':
      sendMalformed(request, res);
      return true;
    case 'reset':
      resetConnection(req);
      return true;
    case 'hang':
      // Nothing to do: the socket stays open until the client gives up or the server closes.
      return true;
    case 'refuse':
    case 'slow-first-token':
    case 'drop-mid-stream':
      return false;
  }
}

/** Ends the connection with a TCP RST, so the client sees ECONNRESET rather than a clean close. */
export function resetConnection(req: IncomingMessage): void {
  const socket = req.socket;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

function sendStatusFault(fault: Extract<Fault, { type: 'status' }>, res: ServerResponse): void {
  const headers = { ...lowerCaseKeys(fault.headers ?? {}) };
  let body: string;
  if (typeof fault.body === 'string') {
    body = fault.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else {
    body = JSON.stringify(fault.body ?? defaultErrorBody(fault.status));
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(fault.status, headers).end(body);
}

/** The error body a real OpenAI-compatible API sends for a status, so clients parse it as they would in production. */
export function defaultErrorBody(status: number): object {
  if (status === 429) return openAIError('Rate limit reached for requests (mock fault).', 'requests', 'rate_limit_exceeded');
  if (status === 401) return openAIError('Incorrect API key provided (mock fault).', 'invalid_request_error', 'invalid_api_key');
  if (status === 403) return openAIError('You are not allowed to use this model (mock fault).', 'invalid_request_error', 'permission_denied');
  if (status === 404) return openAIError('The model does not exist (mock fault).', 'invalid_request_error', 'model_not_found');
  if (status >= 500) return openAIError(`The server had an error while processing your request (mock fault ${status}).`, 'server_error', null);
  return openAIError(`Mock fault ${status}.`, 'invalid_request_error', null);
}

function sendHtmlPage(status: number, res: ServerResponse): void {
  const title = status === 200 ? 'Welcome' : `${status} Error`;
  // What a gateway or a captive portal sends: HTML where JSON was expected.
  const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(page);
}

function sendMalformed(request: RequestInfo, res: ServerResponse): void {
  const truncated = '{"id":"chatcmpl-mock","object":"chat.completion","choices":[{"index":0,"message":{"role":"assist';
  if (request.stream) {
    // An SSE stream whose event is not JSON: the client's parser must fail, not stall.
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' }).end(`data: ${truncated}\n\n`);
  } else {
    res.writeHead(200, { 'content-type': 'application/json' }).end(truncated);
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function definedOnly(scope: FaultScope): FaultScope {
  return Object.fromEntries(Object.entries(scope).filter(([, value]) => value !== undefined)) as FaultScope;
}

/** Throws a clear Error when a fault or its scope cannot be played (bad status, negative delay, counted refuse...). */
export function validateFault(fault: Fault, scope: FaultScope): void {
  const problem = findFaultProblem(fault, scope);
  if (problem) throw new Error(`invalid fault ${JSON.stringify({ ...fault, ...definedOnly(scope) })}: ${problem}`);
}

/** What makes a fault or its scope unplayable, in a few words; undefined when it is fine. */
export function findFaultProblem(fault: Fault, scope: FaultScope): string | undefined {
  return faultProblem(fault) ?? scopeProblem(fault, scope);
}

function faultProblem(fault: Fault): string | undefined {
  switch (fault.type) {
    case 'status':
      return isStatus(fault.status) ? undefined : `status must be an HTTP status from 200 to 599, not ${fault.status}`;
    case 'html':
      return fault.status === undefined || isStatus(fault.status) ? undefined : `status must be an HTTP status from 200 to 599, not ${fault.status}`;
    case 'slow-first-token':
      return isCount(fault.delayMs) ? undefined : `delayMs must be a whole number of milliseconds >= 0, not ${fault.delayMs}`;
    case 'drop-mid-stream':
      return isCount(fault.afterChunks) ? undefined : `afterChunks must be a whole number >= 0, not ${fault.afterChunks}`;
    case 'malformed-json':
    case 'reset':
    case 'refuse':
    case 'hang':
      return undefined;
    default:
      return `unknown fault type ${JSON.stringify((fault as { type: unknown }).type)}`;
  }
}

function scopeProblem(fault: Fault, scope: FaultScope): string | undefined {
  if (scope.count !== undefined) {
    if (!isCount(scope.count) || scope.count < 1) return `count must be a whole number >= 1, not ${scope.count}`;
    if (fault.type === 'refuse') return 'refuse cannot be limited to a number of requests (a refused connection never reaches the mock to be counted): give it a duration or clear it';
  }
  if (scope.every !== undefined) {
    if (!isCount(scope.every) || scope.every < 1) return `every must be a whole number >= 1, not ${scope.every}`;
    if (fault.type === 'refuse') return 'refuse cannot hit one request in N (a refused connection never reaches the mock): give it a duration or clear it';
  }
  if (scope.forMs !== undefined && (!isCount(scope.forMs) || scope.forMs < 1)) return `forMs must be a whole number of milliseconds >= 1, not ${scope.forMs}`;
  if (scope.paths !== undefined && scope.paths !== 'all' && scope.paths !== 'completions') return `paths must be 'all' or 'completions', not ${String(scope.paths)}`;
  return undefined;
}

function isStatus(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 200 && (value as number) <= 599;
}

function isCount(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}
