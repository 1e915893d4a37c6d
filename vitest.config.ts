import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/support/preload.ts'],
    // Tests start real HTTP servers on loopback; keep the pool small on a 2-core machine.
    pool: 'forks',
    testTimeout: 20_000,
  },
});
