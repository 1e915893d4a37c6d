// A mock provider in its own process, so the benchmark's client side has the CPU to itself.
// argv: name, then optional JSON options for startMockProvider (reply, chunkDelayMs).
import { startMockProvider } from '../dist/mock/server.js';

const options = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const mock = await startMockProvider({ ...options, name: process.argv[2] ?? 'bench', key: 'sk-bench-key-000000', models: ['bench-model'] });
process.stdout.write(`${mock.baseURL}\n`);
process.on('SIGTERM', () => void mock.close().then(() => process.exit(0)));
