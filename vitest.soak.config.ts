import { defineConfig } from 'vitest/config';

// The long runs of `npm run test:soak` (CI runs them after `npm test`): each file starts what it
// needs itself (its own runtime, often as a separate process it can kill).
export default defineConfig({
  test: {
    include: ['test/soak/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    fileParallelism: false,
  },
});
