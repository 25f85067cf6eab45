/**
 * Starts one embedded runtime for every end-to-end test file (a fresh data directory, a free
 * API port) and stops it when the run ends, whatever happened. The runtime builds the web app
 * first when its sources changed (web/tools/build.ts), so the browser tests (test/e2e/web/)
 * always see the app the sources say.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRuntime } from '../../infra/local/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dataDir: string;
  }
}

/** Vitest gives a global setup no time limit: a start that hangs would hold the run forever. */
const START_LIMIT_MS = 180_000;

const withinLimit = <T>(promise: Promise<T>, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${START_LIMIT_MS / 1000} s`)),
      START_LIMIT_MS,
    );
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
};

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gonghui-e2e-'));
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  // The runtime's own lines (gateway, bus, pollers) are kept too: the last test file reads every
  // log of the run for personal data (test/e2e/zz-log-privacy.test.ts).
  const runtimeLog = createWriteStream(join(logDir, 'runtime.log'), { flags: 'a' });
  const runtime = await withinLimit(
    startRuntime({
      dataDir,
      port: 0,
      log: (line) => runtimeLog.write(`${line}\n`),
      sesMaxSendRate: 200,
      // Short visibility timeouts so a poison message reaches its DLQ within seconds.
      visibilityTimeoutSeconds: 2,
    }),
    'the embedded runtime start',
  );
  project.provide('dataDir', dataDir);
  return async () => {
    await withinLimit(runtime.stop(), 'the embedded runtime stop');
    await new Promise((resolve) => runtimeLog.end(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
