import { sleep, type Clock } from '../../src/engine/clock.js';

/**
 * An in-memory `fetch` for engine unit tests: each provider (by host) answers from a script of
 * replies, one per request, the last one repeating. No sockets, so the engine's logic is tested
 * alone and time is only the manual clock's.
 */
export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status: number; body: string; contentType: string }
  | { kind: 'sse'; chunks: string[]; dropAfter?: number; stallAfter?: number }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number; then: Reply }
  | { kind: 'refuse' };

export const completion = (content = 'hello', model = 'm'): Reply => ({
  kind: 'json',
  status: 200,
  body: {
    id: 'c1',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  },
});

export const status = (code: number, message = `status ${code}`, headers?: Record<string, string>, code2?: string): Reply => ({
  kind: 'json',
  status: code,
  body: { error: { message, type: 'error', code: code2 ?? null } },
  ...(headers ? { headers } : {}),
});

export const html = (code = 502): Reply => ({
  kind: 'text',
  status: code,
  body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
  contentType: 'text/html',
});

export const brokenJson = (): Reply => ({ kind: 'text', status: 200, body: '{"choices": [', contentType: 'application/json' });
export const hang = (): Reply => ({ kind: 'hang' });
/** `reply`, sent after `ms` of the scripted fetch's clock (a slow provider); aborting cuts the wait. */
export const delayed = (ms: number, reply: Reply): Reply => ({ kind: 'delay', ms, then: reply });
export const refuse = (): Reply => ({ kind: 'refuse' });

/** A streamed answer of `words`, optionally cut (`dropAfter`) or stalled (`stallAfter`) after N content chunks. */
export const sse = (words: string[], options: { dropAfter?: number; stallAfter?: number } = {}): Reply => ({
  kind: 'sse',
  chunks: [
    chunk({ role: 'assistant', content: '' }),
    ...words.map((word) => chunk({ content: word })),
    chunk({}, 'stop'),
  ],
  ...options,
});

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return JSON.stringify({
    id: 's1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
}

export interface ScriptedFetch {
  readonly fetch: typeof fetch;
  /** Requests each host received. */
  calls(host: string): number;
  /** The JSON bodies each host received. */
  bodies(host: string): unknown[];
  /** Replace a host's script. */
  script(host: string, replies: Reply[]): void;
}

/** `clock` times `delayed` replies (the engine's manual clock in tests). */
export function scriptedFetch(scripts: Record<string, Reply[]>, clock?: Clock): ScriptedFetch {
  const queues = new Map(Object.entries(scripts).map(([host, replies]) => [host, [...replies]]));
  const counts = new Map<string, number>();
  const received = new Map<string, unknown[]>();
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const host = url.host;
    counts.set(host, (counts.get(host) ?? 0) + 1);
    if (typeof init?.body === 'string') received.set(host, [...(received.get(host) ?? []), JSON.parse(init.body)]);
    const queue = queues.get(host);
    if (!queue || queue.length === 0) throw new Error(`no script for ${host}`);
    const reply = queue.length > 1 ? queue.shift()! : queue[0]!;
    return respond(reply, init?.signal ?? undefined, clock);
  };
  return {
    fetch: fetchImpl as typeof fetch,
    calls: (host) => counts.get(host) ?? 0,
    bodies: (host) => received.get(host) ?? [],
    script: (host, replies) => void queues.set(host, [...replies]),
  };
}

function abortable(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
    if (signal?.aborted) fail();
    signal?.addEventListener('abort', fail, { once: true });
  });
}

async function respond(reply: Reply, signal: AbortSignal | undefined, clock: Clock | undefined): Promise<Response> {
  switch (reply.kind) {
    case 'delay':
      if (!clock) throw new Error('a delayed reply needs the scripted fetch to have a clock');
      await sleep(clock, reply.ms, signal);
      return respond(reply.then, signal, clock);
    case 'json':
      return new Response(JSON.stringify(reply.body), {
        status: reply.status,
        headers: { 'content-type': 'application/json', ...reply.headers },
      });
    case 'text':
      return new Response(reply.body, { status: reply.status, headers: { 'content-type': reply.contentType } });
    case 'hang':
      return abortable(signal);
    case 'refuse':
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    case 'sse':
      return new Response(sseBody(reply, signal), { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }
}

function sseBody(reply: Extract<Reply, { kind: 'sse' }>, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  let contentSent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (reply.dropAfter !== undefined && contentSent >= reply.dropAfter) {
        controller.error(Object.assign(new TypeError('terminated'), { cause: { code: 'ECONNRESET' } }));
        return;
      }
      if (reply.stallAfter !== undefined && contentSent >= reply.stallAfter) {
        try {
          await abortable(signal);
        } catch (error) {
          controller.error(error);
        }
        return;
      }
      const next = reply.chunks[index++];
      if (next === undefined) {
        controller.enqueue(encoder.encode('data: [DONE]\n\n'));
        controller.close();
        return;
      }
      if (index > 1 && index < reply.chunks.length) contentSent++;
      controller.enqueue(encoder.encode(`data: ${next}\n\n`));
    },
  });
}
