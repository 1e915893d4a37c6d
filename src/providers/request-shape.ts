import { presets } from '../config/presets.js';
import type { ProviderConfig } from '../config/schema.js';
import type { CompletionRequest } from '../engine/types.js';
import { TokenLimitParameter } from './token-limit.js';

/**
 * One request goes to every provider in the list, but vendors differ in what they accept: a
 * field one of them refuses with a 400 would read as the caller's bug and stop the failover
 * there. So each provider client shapes the request for its own vendor — the token-limit name
 * it wants, the fields it refuses left out — from its preset, or from `tokenLimitField` and
 * `dropParams` in its config. Nothing else is touched: every other byte goes as the caller wrote it.
 */
export class RequestShape {
  private readonly tokenLimit: TokenLimitParameter;
  private readonly dropped: readonly (readonly string[])[];

  constructor(provider: Pick<ProviderConfig, 'preset' | 'tokenLimitField' | 'dropParams'>) {
    const preset = provider.preset === undefined ? undefined : presets[provider.preset]?.requests;
    this.tokenLimit = new TokenLimitParameter(provider.tokenLimitField ?? preset?.tokenLimitField);
    this.dropped = (provider.dropParams ?? preset?.dropParams ?? []).map((path) => path.split('.'));
  }

  /** Calls `call` with the request as this provider wants it (see TokenLimitParameter for the one resend). */
  send<T>(request: CompletionRequest, call: (request: CompletionRequest) => Promise<T>): Promise<T> {
    let shaped = request;
    for (const path of this.dropped) shaped = without(shaped, path) as CompletionRequest;
    return this.tokenLimit.send(shaped, call);
  }
}

/**
 * `value` without the field at `path`, copied only along the path and only when the field is
 * there: the caller's request is never changed, and one that has none of it is passed as is.
 * A segment ending in `[]` walks every element of an array.
 */
function without(value: unknown, path: readonly string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || path.length === 0) return value;
  const [segment, ...rest] = path as [string, ...string[]];
  const each = segment.endsWith('[]');
  const key = each ? segment.slice(0, -2) : segment;
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, key)) return value;
  if (rest.length === 0 && !each) {
    const { [key]: _dropped, ...others } = record;
    return others;
  }
  const inner = record[key];
  const next = each ? (Array.isArray(inner) ? withoutInEach(inner, rest) : inner) : without(inner, rest);
  return next === inner ? value : { ...record, [key]: next };
}

function withoutInEach(items: readonly unknown[], path: readonly string[]): readonly unknown[] {
  if (path.length === 0) return items;
  let changed = false;
  const next = items.map((item) => {
    const shaped = without(item, path);
    changed ||= shaped !== item;
    return shaped;
  });
  return changed ? next : items;
}
