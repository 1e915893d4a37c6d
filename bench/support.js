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

export const fmt = (n, digits = 2) => n.toFixed(digits);
