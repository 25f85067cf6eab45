/**
 * Starts one embedded runtime for every end-to-end test file (a fresh data directory, a free
 * API port) and stops it when the run ends, whatever happened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRuntime } from '../../infra/local/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gonghui-e2e-'));
  const runtime = await startRuntime({
    dataDir,
    port: 0,
    sesMaxSendRate: 200,
    // Short visibility timeouts so a poison message reaches its DLQ within seconds.
    visibilityTimeoutSeconds: 2,
  });
  project.provide('dataDir', dataDir);
  return async () => {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
