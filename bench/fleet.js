// node bench/fleet.js (after npm run build): what shared health saves a fleet.
// Four engines ("instances") face a dead primary (a closed loopback port) with a live backup.
// Each sends its requests spread over time; we count the calls that reached the dead primary,
// once with every engine on its own breakers and once with all four sharing one Redis.
// Every figure is printed; none is asserted (timing belongs here, not in tests).
import { spawn, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEngine } from '../dist/index.js';
import { connectRedisHealth } from '../dist/shared/index.js';
import { closedPort, fmt, startMockProcess } from './support.js';

const INSTANCES = Number(process.env.BENCH_FLEET_INSTANCES ?? 4);
const REQUESTS = Number(process.env.BENCH_FLEET_REQUESTS ?? 20);
const KEY = 'sk-bench-key-000000';
const PROMPT = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 };

// Each instance sends one request every `gapMs`; instances start `gapMs / INSTANCES` apart.
const scenarios = [
  // A cool-down longer than the run: the cost of learning the outage, nothing else.
  { name: 'learning the outage, cool-down 30 s', gapMs: 100, breaker: { failureThreshold: 3, cooldownMs: 30_000 } },
  // A short cool-down: half-open trials happen during the run too (one per fleet vs one per instance).
  { name: 'outage with trials, cool-down 200 ms', gapMs: 100, breaker: { failureThreshold: 3, cooldownMs: 200, maxCooldownMs: 200 } },
  // All four start within one failing request's time: requests already retrying when the
  // breaker opens elsewhere finish their retries (the limit of sharing: it cannot recall a call).
  { name: 'burst: all start within 25 ms, 30 s', gapMs: 25, breaker: { failureThreshold: 3, cooldownMs: 30_000 } },
];

const redis = await startRedis();
const backup = await startMockProcess('backup');
const deadPrimary = `http://127.0.0.1:${await closedPort()}/v1`;
const config = (breaker) => ({
  providers: [
    { name: 'primary', baseURL: deadPrimary, apiKey: KEY, model: 'bench-model' },
    { name: 'backup', baseURL: backup.baseURL, apiKey: KEY, model: 'bench-model' },
  ],
  retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, jitter: false },
  breaker,
});

try {
  console.log(`fleet of ${INSTANCES} engines, ${REQUESTS} requests each (retries 2, threshold 3), primary refusing connections, backup a mock\n`);
  console.log(`${'scenario: primary calls'.padEnd(40)} ${'alone'.padStart(8)} ${'shared'.padStart(8)} ${'ratio'.padStart(8)}   answered (alone / shared)`);
  let prefixes = 0;
  for (const scenario of scenarios) {
    const alone = await runFleet(config(scenario.breaker), scenario.gapMs, async () => undefined);
    // One prefix per run: the four engines are one fleet, and runs never see each other.
    const prefix = `bench:fleet:${process.pid}:${++prefixes}`;
    const shared = await runFleet(config(scenario.breaker), scenario.gapMs, () => connectRedisHealth({ url: redis.url, prefix, log: (line) => console.error(line) }));
    const ratio = shared.primaryCalls === 0 ? '∞' : fmt(alone.primaryCalls / shared.primaryCalls, 1);
    console.log(
      `${scenario.name.padEnd(40)} ${String(alone.primaryCalls).padStart(8)} ${String(shared.primaryCalls).padStart(8)} ${`${ratio}x`.padStart(8)}   ${alone.answered}/${alone.total} / ${shared.answered}/${shared.total}`,
    );
  }
  console.log(`\ntarget: with shared state the dead primary is called about the threshold (3) once for the fleet, not once per instance (${3 * INSTANCES}).`);
} finally {
  backup.stop();
  redis.stop();
}

/** Runs the fleet once; `join` gives each engine its shared health (or none). */
async function runFleet(engineConfig, gapMs, join) {
  const members = [];
  for (let i = 0; i < INSTANCES; i++) {
    const shared = await join();
    let primaryCalls = 0;
    const engine = createEngine(engineConfig, {
      ...(shared ? { shared } : {}),
      onEvent: (event) => {
        if (event.type === 'attempt' && event.provider === 'primary') primaryCalls++;
      },
    });
    members.push({ engine, shared, calls: () => primaryCalls });
  }
  let answered = 0;
  await Promise.all(
    members.map(async ({ engine }, index) => {
      await sleep((gapMs / INSTANCES) * index);
      for (let i = 0; i < REQUESTS; i++) {
        const started = performance.now();
        try {
          await engine.complete(PROMPT);
          answered++;
        } catch {
          // counted as not answered
        }
        await sleep(Math.max(0, gapMs - (performance.now() - started)));
      }
    }),
  );
  for (const { engine, shared } of members) {
    engine.close();
    await shared?.close();
  }
  return { primaryCalls: members.reduce((sum, member) => sum + member.calls(), 0), answered, total: INSTANCES * REQUESTS };
}

/** A throwaway redis-server on a free loopback port, no persistence. */
async function startRedis() {
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('redis-server is not installed: apt-get install -y redis-server');
  const port = await closedPort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
    await sleep(20);
  }
  return { url: `redis://127.0.0.1:${port}/0`, stop: () => child.kill('SIGKILL') };
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}
