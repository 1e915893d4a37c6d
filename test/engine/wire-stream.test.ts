import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { RequestFailed } from '../../src/engine/errors.js';
import type { EngineEvent } from '../../src/index.js';

// A stream read through `wire()` over the http transport, from a provider on 127.0.0.1 whose
// every byte is written here: what a relay (the gateway) is handed, and what the engine still
// checks in chunks it does not parse.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A provider that answers every stream with these `data:` payloads, then `[DONE]` unless `cut`. */
async function provider(payloads: readonly string[], { cut = false } = {}): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const body = payloads.map((payload) => `data: ${payload}\n\n`).join('');
      // Cut: the connection closes once the events are on their way, with no end of body.
      if (cut) res.write(body, () => res.socket?.destroy());
      else res.end(`${body}data: [DONE]\n\n`);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function engineFor(baseURL: string) {
  const events: EngineEvent[] = [];
  const engine = createEngine(
    { providers: [{ name: 'only', baseURL, apiKey: 'sk-wire-test-key-01', model: 'm' }], retry: { maxRetries: 0 }, midStream: 'fail' },
    { transport: 'http', onEvent: (event) => events.push(event) },
  );
  return { engine, events };
}

const PROMPT = { messages: [{ role: 'user' as const, content: 'hi' }] };
const ROLE = '{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}';
const content = (text: string) => `{"choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}},"finish_reason":null}],"usage":null}`;
const STOP = '{"choices":[{"index":0,"delta":{},"finish_reason" : "stop"}],"usage":null}';
const USAGE = '{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}}';

async function readWire(stream: AsyncIterable<{ readonly json: string }>): Promise<string[]> {
  const texts: string[] = [];
  for await (const chunk of stream) texts.push(chunk.json);
  return texts;
}

describe('a stream read as the provider wrote it', () => {
  it('hands over every chunk text unchanged, and still reads the end and the usage', async () => {
    const odd = '{ "x_vendor": {"queue": 3}, "choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}] }';
    const payloads = [ROLE, content('Hel'), odd, STOP, USAGE];
    const { engine, events } = engineFor(await provider(payloads));
    expect(await readWire(engine.stream(PROMPT).wire())).toEqual(payloads);
    expect(events.find((event) => event.type === 'success')).toMatchObject({ usage: { inputTokens: 7, outputTokens: 2 } });
  });

  it('fails a stream that was cut before its finish_reason, though no chunk was parsed', async () => {
    const { engine, events } = engineFor(await provider([ROLE, content('"finish_reason":"stop"'), content('more')], { cut: true }));
    await expect(readWire(engine.stream(PROMPT).wire())).rejects.toBeInstanceOf(RequestFailed);
    expect(events.some((event) => event.type === 'success')).toBe(false);
  });

  it('fails on a chunk that is not JSON, on the wire as for a library reader', async () => {
    const { engine } = engineFor(await provider([ROLE, content('a'), 'upstream overloaded', STOP]));
    const failure = await readWire(engine.stream(PROMPT).wire()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RequestFailed);
    expect((failure as RequestFailed).attempts.at(-1)?.error?.kind).toBe('malformed');
  });

  it('parses every chunk for a library reader, and passes on one shaped {…} unparsed to a relay', async () => {
    const broken = '{"choices":[{"index":0,"delta":{"content":"a"},}]}';
    const baseURL = await provider([ROLE, content('a'), broken, STOP]);
    const library = engineFor(baseURL).engine.stream(PROMPT);
    const failure = await (async () => {
      for await (const _chunk of library);
    })().catch((error: unknown) => error);
    expect((failure as RequestFailed).attempts.at(-1)?.error?.kind).toBe('malformed');
    expect(await readWire(engineFor(baseURL).engine.stream(PROMPT).wire())).toEqual([ROLE, content('a'), broken, STOP]);
  });
});
