/**
 * How the CLI finds a running embedded runtime: `<data dir>/runtime.json`, written by
 * `npm start` (GONGHUI_DATA_DIR, default `.data`) and removed when it stops.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RuntimeInfo } from '../local/runtime.ts';

export type { RuntimeInfo } from '../local/runtime.ts';

export class CliError extends Error {
  override name = 'CliError';
}

export const dataDir = (): string => resolve(process.env.GONGHUI_DATA_DIR ?? '.data');

export const loadRuntimeInfo = (dir = dataDir()): RuntimeInfo => {
  const file = join(dir, 'runtime.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
  } catch {
    throw new CliError(
      `本地运行时未启动 / The local runtime is not running (no ${file}). Start it with: npm start`,
    );
  }
};

/** SDK client settings that point at the local runtime's emulators. */
export const localClientConfig = (info: RuntimeInfo, endpoint: string) => ({
  region: info.region,
  endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
