import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Starts a mock provider in a child process (`options`: reply, chunkDelayMs); resolves to its base URL and a stop function. */
export function startMockProcess(name, options) {
  const args = [fileURLToPath(new URL('./mock-server.js', import.meta.url)), name, ...(options ? [JSON.stringify(options)] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (data) => {
      resolve({ baseURL: String(data).trim(), stop: () => child.kill('SIGTERM') });
    });
  });
}

/** A loopback port that was just free: connecting to it is refused. */
export async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `fn` `count` times sequentially; returns the sorted latencies in ms. */
export async function latencies(fn, count) {
  const samples = new Array(count);
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    samples[i] = performance.now() - start;
  }
  return samples.sort((a, b) => a - b);
}

/** Runs `fn` `total` times with `concurrency` in flight; returns requests per second. */
export async function throughput(fn, total, concurrency) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await fn();
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

/**
 * Each path's rate, measured in interleaved rounds of `total / rounds` calls at `concurrency`, so
 * drift on the machine hits every path alike. `measure(call, count, concurrency)` gives one
 * round's rate (default: requests per second); the rounds are combined as total over time. With
 * `processes` (one with `usage()` for every path, or one per path by name), also that process's
 * CPU and GC time (µs) per call on each path, read inside it.
 */
export async function interleaved(paths, total, concurrency, { processes, measure = throughput, rounds = 5 } = {}) {
  const processOf = (name) => (processes?.usage ? processes : processes?.[name]);
  const zeros = () => Object.fromEntries(Object.keys(paths).map((name) => [name, 0]));
  const seconds = zeros();
  const cpuMicros = zeros();
  const gcMicros = zeros();
  const perRound = Math.floor(total / rounds);
  for (let round = 0; round < rounds; round++) {
    for (const [name, call] of Object.entries(paths)) {
      const measured = processOf(name);
      const before = await measured?.usage();
      seconds[name] += 1 / (await measure(call, perRound, concurrency));
      if (measured) {
        const after = await measured.usage();
        cpuMicros[name] += after.cpu - before.cpu;
        gcMicros[name] += after.gc - before.gc;
      }
    }
  }
  const perCall = (totals) => Object.fromEntries(Object.entries(totals).map(([name, value]) => [name, value / (perRound * rounds)]));
  return {
    rate: Object.fromEntries(Object.entries(seconds).map(([name, spent]) => [name, rounds / spent])),
    cpu: perCall(cpuMicros),
    gc: perCall(gcMicros),
  };
}

export const fmt = (n, digits = 2) => n.toFixed(digits);
