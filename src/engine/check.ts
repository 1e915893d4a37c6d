import type { EngineContext } from './context.js';
import type { ProviderSlot } from './provider-slot.js';
import { AttemptScope } from './attempt-scope.js';
import type { CancelSignal } from './cancellation.js';
import { settleFailure } from './settle.js';
import { acquirePermit } from './shared-health.js';
import type { CheckAttempt, CheckKind } from './types.js';
import { presets } from '../config/presets.js';
import { listUnavailable } from '../providers/model-list.js';

/** The cheapest completion that proves a provider answers. */
export const PROBE_REQUEST = { messages: [{ role: 'user' as const, content: 'ping' }], max_tokens: 1 };

export interface CheckOptions {
  readonly signal?: CancelSignal;
  /** Call even when the breaker would skip the provider (as a half-open trial). */
  readonly force?: boolean;
}

/**
 * Calls one provider directly, outside failover, and feeds the outcome to its breaker like any
 * request would: the background probe and `watch` keep real breakers honest this way.
 */
export async function checkProvider(
  context: EngineContext,
  slot: ProviderSlot,
  kind: CheckKind,
  options: CheckOptions = {},
): Promise<CheckAttempt> {
  const permit = await acquirePermit(context, slot, options.force);
  if (!permit) return { provider: slot.name, outcome: 'skipped', reason: 'breaker open', ms: 0 };
  const { clock } = context;
  const scope = new AttemptScope(clock, options.signal);
  const startedAt = clock.now();
  scope.arm('call', slot.settings.timeoutMs);
  try {
    if (kind === 'models' && hasModelList(slot)) await listOrComplete(slot, scope.signal);
    else await slot.client.complete(PROBE_REQUEST, scope.signal);
    const now = clock.now();
    scope.dispose(true);
    slot.breaker.success(permit);
    slot.recordSuccess(now - startedAt, now);
    // A 1-token completion is a fair first-token sample; listing models says nothing about it.
    if (kind === 'completion') slot.recordFirstToken(now - startedAt, now);
    return { provider: slot.name, outcome: 'success', ms: now - startedAt };
  } catch (thrown) {
    const error = scope.failureOf(thrown, context.config.classify);
    scope.dispose();
    const now = clock.now();
    slot.recordFailure(error, now - startedAt, now);
    settleFailure(slot, permit, error);
    context.events.emit('failure', { provider: slot.name, attempt: 0, requestId: 0, error, ms: now - startedAt });
    return {
      provider: slot.name,
      outcome: 'failure',
      ...(error.status === undefined ? {} : { status: error.status }),
      error,
      ms: now - startedAt,
    };
  }
}

/**
 * Whether `GET /models` can probe this provider: not for a preset with no list its key can read
 * (Anthropic's would answer 401, and a healthy provider would be held down as "key rejected").
 */
function hasModelList(slot: ProviderSlot): boolean {
  const preset = slot.config.preset;
  return preset === undefined || presets[preset]?.modelList !== 'none';
}

/** The free list, or, where the provider serves none (404, another shape), a 1-token completion. */
async function listOrComplete(slot: ProviderSlot, signal: CancelSignal): Promise<void> {
  try {
    await slot.client.listModels(signal);
  } catch (error) {
    if (listUnavailable(error) === undefined) throw error;
    await slot.client.complete(PROBE_REQUEST, signal);
  }
}
