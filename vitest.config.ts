import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
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
          globalSetup: ['test/infra/web-build.ts'],
          testTimeout: 60_000,
          // The CDK tests synthesise the stack (esbuild bundles every function) in beforeAll: 4-5 s
          // alone, over the 10 s default on a loaded machine (seen with 14 functions, 3 agents on 2 cores).
          hookTimeout: 60_000,
        },
      },
      {
        // The web app's components in happy-dom (Element Plus resolved as in the build, without CSS).
        plugins: [
          vue(),
          Components({ resolvers: [ElementPlusResolver({ importStyle: false })], dts: false }),
        ],
        test: {
          name: 'web',
          include: ['test/web/**/*.test.ts'],
          environment: 'happy-dom',
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
