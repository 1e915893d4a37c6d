import { presets } from '../config/presets.js';
import { PROBE_REQUEST } from '../engine/check.js';
import { listUnavailable } from '../providers/model-list.js';
import { formatMs } from '../report/format.js';
import type { CompletionRequest } from '../engine/types.js';
import type { CheckContext, CheckVerdict, ProviderCheck } from './check-context.js';
import { formatTarget, reach } from '../net/reach.js';
import { closestModel, isListed } from './suggest.js';

/**
 * The checks `ping` runs on every provider, in order; each one needs the ones before it to
 * have passed (no auth check on an unreachable host).
 */

/** The base URL's host accepts a connection (DNS, TCP and, for https, TLS). */
export const reachCheck: ProviderCheck = {
  name: 'reach',
  async run(context, scope) {
    const reached = await reach(context.target, scope.signal, context.lookup);
    const tls = reached.tlsMs === undefined ? '' : ', TLS ok';
    const via = reached.address === context.target.host ? '' : ` (${reached.address})`;
    if (reached.proxy) {
      const how = context.target.tls ? 'a tunnel' : 'requests';
      return { ok: true, detail: `the proxy ${reached.proxy} accepts ${how} for ${formatTarget(context.target)}${tls}` };
    }
    return { ok: true, detail: `${formatTarget(context.target)}${via} accepts connections${tls}` };
  },
};

/**
 * The key is accepted: `GET /models`, which costs nothing, and keeps the list for the model
 * check. A provider whose list cannot say (none served: 404/405; a shape with no ids; one that
 * needs no key, or no list for a Bearer key, as its preset says) has its key checked with a
 * 1-token completion instead, and the result says so — rather than calling its base URL wrong.
 */
export const authCheck: ProviderCheck = {
  name: 'auth',
  measuresLatency: true,
  async run(context, scope) {
    const key = context.provider.apiKey ? 'key accepted' : 'no key needed';
    const modelList = context.provider.preset ? presets[context.provider.preset]?.modelList : undefined;
    let why: string;
    if (modelList === 'none') {
      why = `${context.provider.preset} serves no model list for this key`;
    } else {
      try {
        const models = await context.client.listModels(scope.signal);
        context.listedModels = models;
        const listed = `${models.length} model${models.length === 1 ? '' : 's'} listed`;
        if (modelList !== 'public') {
          context.keyCheck = { via: 'models' };
          return { ok: true, detail: `${key}, ${listed}`, via: 'models' };
        }
        why = `GET /models needs no key at ${context.provider.preset}; ${listed}`;
      } catch (error) {
        const unavailable = listUnavailable(error);
        // Without leave to spend, a missing list is what it always was: most likely a wrong base URL.
        if (unavailable === undefined || !context.mayComplete) throw error;
        why = unavailable;
      }
    }
    if (!context.mayComplete) {
      return { ok: true, warning: true, detail: `key not checked: ${why}, and --no-completion spends nothing` };
    }
    // Recorded first, so a failure of this completion is told apart from one of the list.
    context.keyCheck = { via: 'completion', why };
    await context.client.complete(ONE_TOKEN, scope.signal);
    return { ok: true, detail: `${key} by a 1-token completion (${why})`, via: 'completion' };
  },
};


/**
 * The configured model is in the provider's list. Some providers list only part of what they
 * serve, so "not listed" is a warning while a completion check follows to settle it, and a
 * failure only when the list is all there is to go on (`--no-completion`).
 */
export const modelCheck: ProviderCheck = {
  name: 'model',
  async run(context) {
    const model = context.provider.model;
    if (context.listedModels === undefined && context.keyCheck?.via === 'completion') {
      return { ok: true, detail: `${model} answered the key check (no model list to look in)` };
    }
    const listed = context.listedModels ?? [];
    if (listed.length === 0) return { ok: true, warning: true, detail: 'the provider lists no models; not checked' };
    if (isListed(model, listed)) return { ok: true, detail: `${model} is listed` };
    const suggestion = closestModel(model, listed);
    const guess = suggestion ? `; did you mean ${suggestion}?` : '';
    if (context.completionWillRun) {
      return { ok: true, warning: true, detail: `${model} is not listed${guess} (the completion check decides)` };
    }
    const message = `model ${model} is not listed by the provider${guess}`;
    return { ok: false, detail: message, error: { class: 'provider-only', kind: 'not-found', message } };
  },
};

/** A 1-token chat completion succeeds. */
export const completionCheck: ProviderCheck = {
  name: 'completion',
  measuresLatency: true,
  async run(context, scope) {
    const startedAt = performance.now();
    const answer = await context.client.complete(ONE_TOKEN, scope.signal);
    const finish = answer.choices[0]?.finish_reason;
    return { ok: true, detail: `answered in ${formatMs(performance.now() - startedAt)}${finish ? ` (${finish})` : ''}` };
  },
};

/** A streamed 1-token completion succeeds; reports the time to first token. */
export const streamCheck: ProviderCheck = {
  name: 'stream',
  async run(context, scope) {
    const startedAt = performance.now();
    const { firstTokenMs, idleMs } = context.timeouts;
    scope.arm('first-token', firstTokenMs);
    const stream = await context.client.stream(ONE_TOKEN, scope.signal);
    let firstTokenAt: number | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      if (firstTokenAt === undefined && chunk.value.choices.some((choice) => Boolean(choice.delta?.content))) {
        firstTokenAt = performance.now();
      }
      // Before the first token a role-only chunk does not count as progress.
      if (firstTokenAt !== undefined) scope.arm('idle', idleMs);
    }
    // The SDK ends a stream quietly when its signal aborts: a timer that fired is a failure, not an end.
    if (scope.signal.aborted) throw scope.signal.reason;
    if (firstTokenAt === undefined) {
      return { ok: true, warning: true, detail: `the stream ended without content (${chunks} chunk${chunks === 1 ? '' : 's'})` };
    }
    const timeToFirstToken = firstTokenAt - startedAt;
    return { ok: true, detail: `first token in ${formatMs(timeToFirstToken)}`, firstTokenMs: timeToFirstToken };
  },
};

/** The checks for one provider, in the order they depend on each other. */
export function providerChecks(options: { completion: boolean; stream: boolean }): ProviderCheck[] {
  const checks = [reachCheck, authCheck, modelCheck];
  if (options.completion) checks.push(completionCheck);
  if (options.stream) checks.push(streamCheck);
  return checks;
}

/** The smallest completion: one token of output. */
const ONE_TOKEN: CompletionRequest = PROBE_REQUEST;

/** For tests and for later checks that need the same verdict shape. */
export type { CheckContext, CheckVerdict, ProviderCheck };
