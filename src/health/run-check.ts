import { APIError } from 'openai/error';
import type { ClassOverrides } from '../engine/classify.js';
import { maskSecrets } from '../config/secrets.js';
import { AttemptScope } from '../engine/attempt-scope.js';
import type { Clock } from '../engine/clock.js';
import type { AttemptError } from '../engine/types.js';
import type { CheckContext, ProviderCheck } from './check-context.js';
import { hintFor, type FailureFacts } from './hints.js';
import { ReachError } from '../net/reach.js';
import type { CheckResult } from './types.js';

/**
 * Runs one check under its own timeout and turns whatever happened into a CheckResult: a pass,
 * a warning, or a classified failure with its hint.
 */
export async function runCheck(
  check: ProviderCheck,
  context: CheckContext,
  deps: { clock: Clock; signal: AbortSignal | undefined; classify: ClassOverrides },
): Promise<CheckResult> {
  const scope = new AttemptScope(deps.clock, deps.signal);
  const startedAt = deps.clock.now();
  scope.arm('call', context.timeouts.callMs);
  try {
    const verdict = await check.run(context, scope);
    const ms = deps.clock.now() - startedAt;
    scope.dispose(true);
    if (verdict.ok) {
      return {
        name: check.name,
        ok: true,
        ms,
        detail: verdict.detail,
        ...(verdict.warning ? { warning: true } : {}),
        ...(verdict.firstTokenMs !== undefined ? { firstTokenMs: verdict.firstTokenMs } : {}),
        ...(verdict.via ? { via: verdict.via } : {}),
      };
    }
    return failed(check.name, ms, verdict.error, { check: check.name }, context);
  } catch (thrown) {
    const ms = deps.clock.now() - startedAt;
    const timedOut = scope.timedOut;
    scope.dispose();
    const reachFacts = thrown instanceof ReachError ? { phase: thrown.phase, ...(thrown.code ? { code: thrown.code } : {}) } : {};
    // A reach step failing on its own (not by our timer) is a connection error, below HTTP.
    const error: AttemptError =
      !timedOut && !scope.callerAborted && thrown instanceof ReachError
        ? { class: 'retryable', kind: 'connection', message: thrown.message }
        : scope.failureOf(thrown, deps.classify);
    // A reach timeout is a ReachError too, so its hint names the step it cut short.
    const facts: FailureFacts = {
      check: check.name,
      ...reachFacts,
      ...(isHtmlPage(thrown) ? { html: true } : {}),
      ...(check.name === 'auth' && context.keyCheck ? { via: context.keyCheck.via } : {}),
    };
    return failed(check.name, ms, error, facts, context);
  }
}

function failed(name: string, ms: number, error: AttemptError, facts: FailureFacts, context: CheckContext): CheckResult {
  const timeoutMs = error.timeout === 'first-token' ? context.timeouts.firstTokenMs : error.timeout === 'idle' ? context.timeouts.idleMs : context.timeouts.callMs;
  const hint = hintFor(error, facts, {
    provider: context.provider,
    keySource: context.keySource,
    target: context.target,
    timeoutMs,
    ...(context.listedModels ? { listedModels: context.listedModels } : {}),
  });
  // Some providers echo the rejected key in their message: mask it here too, so the report is
  // safe in a library caller's hands, not only once rendered.
  const message = maskSecrets(error.message);
  const detail = error.status !== undefined && !message.startsWith(String(error.status)) ? `${error.status} ${message}` : message;
  return { name, ok: false, ms, detail, failure: { ...error, message, hint: maskSecrets(hint) } };
}

/** The SDK keeps a non-JSON error body as the message: an HTML page means a gateway answered. */
function isHtmlPage(thrown: unknown): boolean {
  return thrown instanceof APIError && thrown.error === undefined && /<html|<!doctype/i.test(thrown.message);
}
