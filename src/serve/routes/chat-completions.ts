import type { ServerResponse } from 'node:http';
import { Cancellation, type CancelSignal } from '../../engine/cancellation.js';
import { AllProvidersFailed, RequestFailed } from '../../engine/errors.js';
import type { StreamChunk } from '../../engine/stream-chunk.js';
import type { CompletionRequest } from '../../engine/types.js';
import { answerHeaders } from '../answer-headers.js';
import type { GatewayContext, RouteHandler } from '../context.js';
import { midStreamErrorBody } from '../openai-errors.js';
import { readJsonObject } from '../request-body.js';
import { sendError, sendJson } from '../respond.js';
import { retryAfterSeconds } from '../retry-after.js';
import { SSE_HEADERS, sseData, sseError, writeWithBackpressure } from '../sse.js';

/**
 * `POST /v1/chat/completions`: the client's request through the engine. The client's `model`
 * is only an alias (each provider is sent its own model): one named in the config's `models`
 * goes to that list of providers, any other to every provider; `stream` picks the engine call;
 * every other field, `stream_options` included, goes to the engine unchanged (each provider
 * leaves out only what its vendor refuses: see RequestShape).
 */
export const chatCompletions: RouteHandler = async (context, req, res) => {
  const body = await readJsonObject(req, context.bodyLimitBytes);
  const { model: alias, stream, ...request } = body;
  const signal = abortOnDisconnect(res);
  const providers = typeof alias === 'string' ? context.routes[alias] : undefined;
  // A client marks a request that must not run twice (e.g. after executing a tool call) with this header.
  const hedge = req.headers['x-understudy-hedge'] === 'off' ? { hedge: false } : {};
  const call = providers ? { signal, providers, ...hedge } : { signal, ...hedge };
  if (stream === true) return streamAnswer(context, request as CompletionRequest, call, res);
  try {
    // The engine's own fields (who answered, hedging) go in headers, never into the client's completion.
    const { provider, attempts, hedged: _hedged, wonBy: _wonBy, ...completion } = await context.engine.complete(request as CompletionRequest, call);
    sendJson(res, 200, completion, answerHeaders(provider, attempts));
  } catch (error) {
    sendEngineError(context, res, error);
  }
};

/**
 * Streams the engine's chunks as SSE. Nothing is sent until the first chunk: a failover before
 * it is invisible to the client, and a failure before it is an ordinary error answer. After
 * it, a failure ends the stream with an `error` event and no `[DONE]`, because a truncated
 * answer must never look whole; a restart on another provider is ended the same way, since the
 * client cannot un-receive the text it already has.
 */
async function streamAnswer(
  context: GatewayContext,
  request: CompletionRequest,
  call: { readonly signal: CancelSignal; readonly providers?: readonly string[]; readonly hedge?: boolean },
  res: ServerResponse,
): Promise<void> {
  const { signal } = call;
  let restarted = false;
  const stream = context.engine.stream(request, { ...call, onRestart: () => (restarted = true) });
  // The provider's chunks as it wrote them: relayed as text, never parsed and serialised again.
  const chunks = stream.wire()[Symbol.asyncIterator]();
  let first: IteratorResult<StreamChunk>;
  try {
    first = await chunks.next();
  } catch (error) {
    return sendEngineError(context, res, error);
  }
  if (res.destroyed) return void chunks.return?.();
  res.writeHead(200, { ...SSE_HEADERS, ...answerHeaders(stream.provider, stream.attempts) });
  try {
    for (let next = first; !next.done; next = await chunks.next()) {
      if (restarted) throw new Error('the provider failed mid-answer and the engine restarted it elsewhere');
      const full = writeWithBackpressure(res, sseData(next.value.json));
      if (full) await full;
      if (res.destroyed) return void (await chunks.return?.());
    }
    res.end(sseData('[DONE]'));
  } catch (error) {
    await chunks.return?.().catch(() => {});
    if (res.destroyed || signal.aborted) return;
    res.end(sseError(midStreamErrorBody(stream.provider, error)));
  }
}

function sendEngineError(context: GatewayContext, res: ServerResponse, error: unknown): void {
  if (res.destroyed) return; // the client went away: that is what aborted the engine
  if (!(error instanceof RequestFailed) && !(error instanceof AllProvidersFailed)) {
    context.log(`understudy serve: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  const attempts = error instanceof RequestFailed || error instanceof AllProvidersFailed ? error.attempts : [];
  const provider = error instanceof RequestFailed ? error.provider : undefined;
  sendError(res, error, () => retryAfterSeconds(context.engine, context.clock, attempts), answerHeaders(provider, attempts));
}

/**
 * A cancellation that fires when the client goes away before its answer is complete, so the
 * engine stops calling providers for nobody. The response's `close` is used, not the request's:
 * the request's fires as soon as its body has been read.
 */
function abortOnDisconnect(res: ServerResponse): Cancellation {
  const cancellation = new Cancellation();
  res.once('close', () => {
    if (!res.writableFinished) cancellation.abort(new Error('the client disconnected'));
  });
  return cancellation;
}
