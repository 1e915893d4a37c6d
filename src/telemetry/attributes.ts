import type { Attributes } from '@opentelemetry/api';
import type { AttemptError, TokenUsage } from '../engine/types.js';
import { ATTR } from './names.js';

/** Class, kind and status: enough to tell failures apart, with nothing a provider wrote. */
export function errorAttributes(error: AttemptError): Attributes {
  return {
    [ATTR.errorType]: error.kind,
    [ATTR.failureClass]: error.class,
    ...(error.status === undefined ? {} : { [ATTR.httpStatus]: error.status }),
    ...(error.timeout === undefined ? {} : { [ATTR.timeout]: error.timeout }),
  };
}

export function usageAttributes(usage: TokenUsage | undefined): Attributes {
  return usage ? { [ATTR.inputTokens]: usage.inputTokens, [ATTR.outputTokens]: usage.outputTokens } : {};
}

/** A span status message in the engine's own words (`503 server`), never the provider's. */
export function describe(error: AttemptError): string {
  const what = error.timeout ? `${error.timeout} timeout` : error.kind;
  return error.status === undefined ? what : `${error.status} ${what}`;
}

export function pick(attributes: Attributes, ...keys: string[]): Attributes {
  return Object.fromEntries(keys.filter((key) => attributes[key] !== undefined).map((key) => [key, attributes[key]]));
}
