import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: more workers only add contention with the redis-server processes the tests start.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
