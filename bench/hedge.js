// node bench/hedge.js (after npm run build): what budgeted hedging does to a slow tail. A mock
// primary answers in 50 ms nine times in ten and in 2 s the tenth; a healthy fallback answers in
// 80 ms. A fixed number of requests at 32 concurrent, through the engine: (a) no hedging,
// (b) hedging, (c) the primary alone, with the fallback alone as the yardstick for p99. Figures
// are printed with their targets; none is asserted (timing belongs here, not in tests).
//
// Each mock runs in a child process of its own (fresh per run, so every run sees the same
// schedule of slow answers), and the engine in this one.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../dist/index.js';
import { fmt, percentile } from './support.js';

const KEY = 'sk-bench-key-000000';
const MODEL = 'bench-model';
const REQUESTS = Number(process.env.BENCH_HEDGE_REQUESTS ?? 2_000);
const CONCURRENCY = 32;
const FAST_MS = 50;
const SLOW_MS = 2_000;
const SLOW_EVERY = 10;
const FALLBACK_MS = 80;
/**
 * The hedge point: the primary's own p90 time to first token (with a tenth of its answers slow,
 * that is its slowest fast answer, however loaded the machine), never before 100 ms, the fixed
 * point used until the record has its samples.
 */
const HEDGE_POINT = { afterPercentile: Number(process.env.BENCH_HEDGE_PERCENTILE ?? 90), afterMs: Number(process.env.BENCH_HEDGE_AFTER_MS ?? 100) };
const thisFile = fileURLToPath(import.meta.url);
const PROMPT = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 };

if (process.argv[2] === '--mock') await runMockChild(JSON.parse(process.argv[3]));
else await main();

async function main() {
  console.log(`hedging: ${REQUESTS} requests at ${CONCURRENCY} concurrent; primary ${FAST_MS} ms (1 in ${SLOW_EVERY}: ${SLOW_MS} ms), fallback ${FALLBACK_MS} ms\n`);
  const fallbackAlone = await run('fallback alone', { primary: false, fallback: true });
  const plain = await run('(a) no hedging', { primary: true, fallback: true });
  const point = `p${HEDGE_POINT.afterPercentile}, >= ${HEDGE_POINT.afterMs} ms`;
  const hedged = await run(`(b) hedging at ${point}, 5% budget`, { primary: true, fallback: true, hedge: { ...HEDGE_POINT, maxExtraPercent: 5 } });
  const wide = await run(`(b') hedging at ${point}, 12% budget`, { primary: true, fallback: true, hedge: { ...HEDGE_POINT, maxExtraPercent: 12 } });
  const alone = await run('(c) the primary alone', { primary: true, fallback: false });

  console.log('');
  const header = `${'run'.padEnd(44)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'extra'.padStart(7)} ${'hedges'.padStart(7)} ${'won'.padStart(5)}`;
  console.log(header);
  for (const result of [fallbackAlone, plain, hedged, wide, alone]) {
    console.log(
      `${result.name.padEnd(44)} ${fmt(result.p50, 1).padStart(8)} ${fmt(result.p95, 1).padStart(8)} ${fmt(result.p99, 1).padStart(8)} ${`${result.extraPercent.toFixed(1)}%`.padStart(7)} ${String(result.hedges).padStart(7)} ${String(result.hedgeWins).padStart(5)}`,
    );
  }
  console.log('');
  const target = (what, value, goal, met) => console.log(`${met ? '✓' : '✗'} ${what.padEnd(58)} ${value.padStart(12)}   ${goal}`);
  for (const result of [hedged, wide]) {
    target(`${result.name}: p99 vs the fallback's own p99`, `${(result.p99 / fallbackAlone.p99).toFixed(2)}x`, 'target <= 3x', result.p99 <= 3 * fallbackAlone.p99);
    target(`${result.name}: extra requests`, `${result.extraPercent.toFixed(1)}%`, 'target <= 5%', result.extraPercent <= 5);
    target(`${result.name}: p50 vs (a)`, `${(result.p50 / plain.p50).toFixed(3)}x`, 'target <= 1.05x', result.p50 <= 1.05 * plain.p50);
  }
  console.log(
    `\nA ${100 / SLOW_EVERY}% slow share is twice a 5% budget: at most about half the slow answers can be hedged, so p99 (and p95)` +
      `\nstill land on the slow ones; the budget is what keeps a slowdown from doubling traffic. (b') shows the budget it takes.`,
  );
}

/** One run against fresh mocks: latencies of every request, extra calls and hedges counted from engine events. */
async function run(name, { primary, fallback, hedge }) {
  const mocks = [];
  try {
    if (primary) mocks.push({ name: 'primary', ...(await startMock('primary', primarySchedule())) });
    if (fallback) mocks.push({ name: 'fallback', ...(await startMock('fallback', [{ type: 'slow-first-token', delayMs: FALLBACK_MS, paths: 'completions' }])) });
    let attempts = 0;
    let hedges = 0;
    let hedgeWins = 0;
    const engine = createEngine(
      {
        providers: mocks.map((mock) => ({ name: mock.name, baseURL: mock.baseURL, apiKey: KEY, model: MODEL })),
        retry: { maxRetries: 0 },
        ...(hedge ? { hedge } : {}),
      },
      {
        transport: 'http',
        onEvent: (event) => {
          if (event.type === 'attempt') attempts++;
          else if (event.type === 'hedge') hedges++;
        },
      },
    );
    const samples = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < REQUESTS) {
          const start = performance.now();
          const result = await engine.complete(PROMPT);
          samples.push(performance.now() - start);
          if (result.wonBy === 'hedge') hedgeWins++;
        }
      }),
    );
    engine.close();
    samples.sort((a, b) => a - b);
    process.stdout.write(`  ${name}: done\n`);
    return {
      name,
      p50: percentile(samples, 50),
      p95: percentile(samples, 95),
      p99: percentile(samples, 99),
      extraPercent: ((attempts - REQUESTS) / REQUESTS) * 100,
      hedges,
      hedgeWins,
    };
  } finally {
    for (const mock of mocks) mock.stop();
  }
}

/** Nine answers at FAST_MS, then one at SLOW_MS, for every request the run sends (and some spare). */
function primarySchedule() {
  const groups = Math.ceil(REQUESTS / SLOW_EVERY) + 10;
  return Array.from({ length: groups }, () => [
    { type: 'slow-first-token', delayMs: FAST_MS, count: SLOW_EVERY - 1, paths: 'completions' },
    { type: 'slow-first-token', delayMs: SLOW_MS, count: 1, paths: 'completions' },
  ]).flat();
}

function startMock(name, faults) {
  const child = fork(thisFile, ['--mock', JSON.stringify({ name, faults })], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (baseURL) => resolve({ baseURL, stop: () => child.kill('SIGTERM') }));
  });
}

async function runMockChild({ name, faults }) {
  const { startMockProvider } = await import('../dist/mock/server.js');
  const mock = await startMockProvider({ name, key: KEY, models: [MODEL] });
  await mock.setFaults(faults);
  process.send(mock.baseURL);
  process.on('SIGTERM', () => void mock.close().then(() => process.exit(0)));
}
