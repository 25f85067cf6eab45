import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/soak/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The embedded runtime is shared by the end-to-end files; two cores, so keep workers few.
    maxWorkers: 2,
    silent: 'passed-only',
  },
});
