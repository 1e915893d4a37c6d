// Benchmark: `understudy run --input` (the batch service: one shared engine, p-queue, output
// appended and fsynced as each answer arrives) against the same batch sent by a plain openai SDK
// loop with p-queue, both against one local mock provider (in its own process). Prints requests/s
// for each and the ratio, plus engine.complete alone in the same loop, to tell the engine's cost
// from the batch's (reading, resume bookkeeping, writing).
//
//   npm run build && node bench/run-batch.js          (BENCH_REQUESTS=10000 BENCH_CONCURRENCY=64)
//
// Also importable: `import { main } from './run-batch.js'; const result = await main();`
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import PQueue from 'p-queue';
import { startMockProcess } from './support.js';
import { createEngine } from '../dist/engine/engine.js';
import { runBatch } from '../dist/run/batch.js';

const WARM_UP = 500;
// The key bench/mock-server.js requires.
const KEY = 'sk-bench-key-000000';

/**
 * Runs the comparison and prints it. Returns `{ requests, concurrency, runPerSecond,
 * sdkPerSecond, ratio }` (ratio = run / sdk: 1.0 means understudy costs nothing).
 */
export async function main({ requests = numberFromEnv('BENCH_REQUESTS', 10_000), concurrency = numberFromEnv('BENCH_CONCURRENCY', 64), log = console.log } = {}) {
  // The mock runs in its own process, as a real provider would: it must not share our event loop.
  const mock = await startMockProcess('bench');
  const dir = mkdtempSync(join(tmpdir(), 'understudy-bench-'));
  try {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, lines(requests));
    writeFileSync(join(dir, 'warm.jsonl'), lines(WARM_UP));
    const config = { providers: [{ name: 'bench', baseURL: mock.baseURL, apiKey: KEY, model: 'bench-model' }] };

    // Warm both paths up (JIT, sockets) before timing either.
    await viaRun(config, join(dir, 'warm.jsonl'), join(dir, 'warm-out.jsonl'), concurrency);
    await viaSdk(mock.baseURL, WARM_UP, concurrency);
    await viaEngine(config, WARM_UP, concurrency);

    // Two rounds each, interleaved, best of each: drift (GC, CPU frequency) hits both alike.
    let sdkMs = Infinity;
    let engineMs = Infinity;
    let runMs = Infinity;
    for (let round = 0; round < 2; round++) {
      sdkMs = Math.min(sdkMs, await viaSdk(mock.baseURL, requests, concurrency));
      engineMs = Math.min(engineMs, await viaEngine(config, requests, concurrency));
      const output = join(dir, `out-${round}.jsonl`);
      runMs = Math.min(runMs, await viaRun(config, input, output, concurrency));
      const answered = readFileSync(output, 'utf8').split('\n').filter(Boolean).length;
      if (answered !== requests) throw new Error(`run answered ${answered} of ${requests}`);
    }

    const runPerSecond = (requests * 1000) / runMs;
    const sdkPerSecond = (requests * 1000) / sdkMs;
    const enginePerSecond = (requests * 1000) / engineMs;
    const result = { requests, concurrency, runPerSecond, sdkPerSecond, enginePerSecond, ratio: runPerSecond / sdkPerSecond };
    log(`run --input, ${requests} requests at concurrency ${concurrency} against a local mock`);
    log(`  understudy run   ${runPerSecond.toFixed(0).padStart(7)} req/s  (${(runMs / 1000).toFixed(2)} s, output appended + fsynced)`);
    log(`  plain SDK loop   ${sdkPerSecond.toFixed(0).padStart(7)} req/s  (${(sdkMs / 1000).toFixed(2)} s, nothing written)`);
    log(`  engine alone     ${enginePerSecond.toFixed(0).padStart(7)} req/s  (${(engineMs / 1000).toFixed(2)} s, engine.complete in the same loop: where run's cost comes from)`);
    log(`  ratio run/sdk    ${result.ratio.toFixed(2)}   (run/engine ${(runPerSecond / enginePerSecond).toFixed(2)})`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    mock.stop();
  }
}

async function viaRun(config, input, output, concurrency) {
  const engine = createEngine(config);
  const started = performance.now();
  const result = await runBatch({ engine, input, output, outbox: `${output}.outbox`, rejects: `${output}.rejects`, concurrency });
  const ms = performance.now() - started;
  engine.close();
  if (result.outboxed.length > 0) throw new Error(`${result.outboxed.length} requests went to the outbox`);
  return ms;
}

async function viaEngine(config, requests, concurrency) {
  const engine = createEngine(config);
  const ms = await timedLoop(requests, concurrency, (index) => engine.complete({ messages: [{ role: 'user', content: `question ${index}` }] }));
  engine.close();
  return ms;
}

async function viaSdk(baseURL, requests, concurrency) {
  const client = new OpenAI({ baseURL, apiKey: KEY, maxRetries: 0 });
  return timedLoop(requests, concurrency, (index) => client.chat.completions.create({ model: 'bench-model', messages: [{ role: 'user', content: `question ${index}` }] }));
}

/** `call(index)` for every index, `concurrency` at a time through p-queue, as run does; returns the ms taken. */
async function timedLoop(requests, concurrency, call) {
  const queue = new PQueue({ concurrency });
  const started = performance.now();
  for (let index = 0; index < requests; index++) {
    // The same backpressure as run: never more than a little read ahead.
    await queue.onSizeLessThan(concurrency);
    void queue.add(() => call(index));
  }
  await queue.onIdle();
  return performance.now() - started;
}

function lines(count) {
  let text = '';
  for (let index = 0; index < count; index++) text += `${JSON.stringify({ id: `r${index}`, prompt: `question ${index}` })}\n`;
  return text;
}

function numberFromEnv(name, fallback) {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
