import type { Permit } from './breaker.js';
import type { ProviderSlot } from './provider-slot.js';
import type { AttemptError } from './types.js';

/**
 * Feeds one failed call to its provider's breaker according to the failure class: a retryable
 * failure counts, a provider-only one (rejected key, unknown model) opens the breaker at once,
 * and a fatal one (bad request, caller abort) says nothing about the provider's health.
 */
export function settleFailure(slot: ProviderSlot, permit: Permit, error: AttemptError, countsInvalidOutput = false): void {
  switch (error.class) {
    case 'retryable':
      slot.breaker.failure(permit);
      return;
    case 'provider-only':
      slot.breaker.trip(permit);
      return;
    case 'fatal':
      slot.breaker.release(permit);
      return;
    case 'invalid-output':
      // The provider answered: it is up, unless the contract is configured to count against it.
      if (countsInvalidOutput) slot.breaker.failure(permit);
      else slot.breaker.success(permit);
      return;
  }
}
