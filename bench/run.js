// npm run bench: the engine's cost, measured against its own baseline in the same run.
// Every figure is printed; none is asserted (timing belongs here, not in tests).
import OpenAI from 'openai';
import { createEngine } from '../dist/index.js';
import { closedPort, fmt, interleaved, latencies, percentile, startMockProcess, throughput } from './support.js';

const KEY = 'sk-bench-key-000000';
const PROMPT = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 };
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3_000);
const THROUGHPUT_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? 100_000);

const primary = await startMockProcess('primary');
const backup = await startMockProcess('backup');
const provider = (name, baseURL) => ({ name, baseURL, apiKey: KEY, model: 'bench-model' });
const sdk = (baseURL) => new OpenAI({ baseURL, apiKey: KEY, maxRetries: 0 });
const rows = [];
const report = (what, value, target) => {
  rows.push([what, value, target]);
  console.log(`${what.padEnd(58)} ${value.padStart(14)}   ${target}`);
};

try {
  const raw = sdk(primary.baseURL);
  const engine = createEngine({ providers: [provider('primary', primary.baseURL), provider('backup', backup.baseURL)] });
  const rawCall = () => raw.chat.completions.create({ ...PROMPT, model: 'bench-model' });
  const engineCall = () => engine.complete(PROMPT);

  // Warm both paths (JIT, keep-alive sockets) before measuring, then interleave rounds so drift hits both.
  await latencies(rawCall, 500);
  await latencies(engineCall, 500);
  const rawSamples = [];
  const engineSamples = [];
  for (let round = 0; round < 5; round++) {
    rawSamples.push(...(await latencies(rawCall, SAMPLES / 5)));
    engineSamples.push(...(await latencies(engineCall, SAMPLES / 5)));
  }
  rawSamples.sort((a, b) => a - b);
  engineSamples.sort((a, b) => a - b);
  const [rawP50, rawP99, engP50, engP99] = [
    percentile(rawSamples, 50),
    percentile(rawSamples, 99),
    percentile(engineSamples, 50),
    percentile(engineSamples, 99),
  ];
  console.log(`\nlatency, ${SAMPLES} sequential calls each (ms): raw SDK p50 ${fmt(rawP50, 3)} p99 ${fmt(rawP99, 3)}; engine p50 ${fmt(engP50, 3)} p99 ${fmt(engP99, 3)}\n`);
  report('engine / raw SDK latency, p50', fmt(engP50 / rawP50, 3), 'target ≤ 1.05');
  report('engine / raw SDK latency, p99', fmt(engP99 / rawP99, 3), '');

  // In interleaved rounds too: measured once each, the ratio swung 0.89-1.04 between runs.
  const { rate } = await interleaved({ raw: rawCall, engine: engineCall }, THROUGHPUT_REQUESTS, 64);
  const [rawRps, engineRps] = [rate.raw, rate.engine];
  report(`throughput at 64 concurrent, raw SDK (req/s)`, fmt(rawRps, 0), '');
  report(`throughput at 64 concurrent, engine (req/s)`, fmt(engineRps, 0), '');
  report('engine / raw SDK throughput at 64 concurrent', fmt(engineRps / rawRps, 3), 'target ≥ 0.95');

  // Failover cost: the backup called directly is the baseline for both cases.
  const direct = sdk(backup.baseURL);
  const directCall = () => direct.chat.completions.create({ ...PROMPT, model: 'bench-model' });
  const refused = `http://127.0.0.1:${await closedPort()}/v1`;
  // A breaker that never opens and no retries: every call pays one refused connection, then fails over.
  const refusing = createEngine({
    providers: [provider('primary', refused), provider('backup', backup.baseURL)],
    retry: { maxRetries: 0 },
    breaker: { failureThreshold: 1_000_000 },
  });
  // Opened once, with a cool-down longer than the run: every call skips the primary.
  const skipping = createEngine({
    providers: [provider('primary', refused), provider('backup', backup.baseURL)],
    retry: { maxRetries: 0 },
    breaker: { failureThreshold: 1, cooldownMs: 3_600_000 },
  });
  await skipping.complete(PROMPT);
  await latencies(directCall, 300);
  await latencies(() => refusing.complete(PROMPT), 300);
  await latencies(() => skipping.complete(PROMPT), 300);
  const n = Math.min(SAMPLES, 2_000);
  const directP50 = percentile(await latencies(directCall, n), 50);
  const refusedP50 = percentile(await latencies(() => refusing.complete(PROMPT), n), 50);
  const skippedP50 = percentile(await latencies(() => skipping.complete(PROMPT), n), 50);
  report('added time to fail over, primary refusing (p50 ms)', fmt(refusedP50 - directP50, 3), 'target < 5 ms');
  report('added time to fail over, primary breaker open (p50 ms)', fmt(skippedP50 - directP50, 3), 'target < 0.2 ms');

  // Memory: RSS after warm-up vs after many calls, with GC forced when available (--expose-gc).
  // The heap first grows to its working size (sockets, JIT, V8's young generation), so the baseline is
  // taken after a warm-up of the same load; growth past it is what would climb for ever.
  const gc = globalThis.gc ?? (() => {});
  await throughput(engineCall, Math.min(20_000, MEMORY_CALLS / 5), 64);
  gc();
  const before = process.memoryUsage();
  await throughput(engineCall, MEMORY_CALLS, 64);
  gc();
  const after = process.memoryUsage();
  const mb = (bytes) => fmt(bytes / 1024 / 1024, 1);
  report(`RSS growth over ${MEMORY_CALLS} engine calls (MB)`, mb(after.rss - before.rss), 'target < 10 MB');
  report(`heap growth over ${MEMORY_CALLS} engine calls (MB)`, mb(after.heapUsed - before.heapUsed), '');
} finally {
  primary.stop();
  backup.stop();
}
