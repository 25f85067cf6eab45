import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files named `zz-*` run last: they read what the whole run left behind (e.g. its logs). */
class LastFilesLast extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const sorted = await super.sort(files);
    const last = (f: TestSpecification) => /[\\/]zz-[^\\/]+$/.test(f.moduleId);
    return [...sorted.filter((f) => !last(f)), ...sorted.filter(last)];
  }
}

// Two projects: fast tests that need nothing running, and end-to-end tests that share one
// embedded runtime (started once by test/e2e/global-setup.ts, stopped at the end of the run).
export default defineConfig({
  test: {
    silent: 'passed-only',
    maxWorkers: 2,
    // A run must end: a teardown that hangs fails after this instead of holding CI.
    teardownTimeout: 60_000,
    sequence: { sequencer: LastFilesLast },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts'],
          testTimeout: 60_000,
          // The stack tests synthesise (bundling every function) in beforeAll: about 5 s alone, past
          // the default 10 s while `npm test` runs the e2e project beside them on two cores.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One runtime, many files: run them one after another so their figures stay readable.
          fileParallelism: false,
        },
      },
    ],
  },
});
