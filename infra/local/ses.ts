/**
 * aws-ses-v2-local, the SES emulator (SESv1 and v2 sends, an inbox page at `/`, JSON at
 * `/store`), in this process on 127.0.0.1. Its store lives in memory; every saved mail is also
 * appended to `<data>/ses/emails.jsonl` and read back at start, so the inbox survives a restart.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { freePort } from './ports.ts';

const require = createRequire(import.meta.url);

interface StoreModule {
  saveEmail: (email: Record<string, unknown>) => void;
  clearStore: () => void;
}

export interface SesLocal {
  endpoint: string;
  stop(): Promise<void>;
}

let wrapped = false;
let logFile: string | undefined;

export const startSesLocal = async (dataDir: string): Promise<SesLocal> => {
  const dir = join(dataDir, 'ses');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'emails.jsonl');
  const store = require('aws-ses-v2-local/dist/store.js') as StoreModule;
  const original = store.saveEmail;
  if (!wrapped) {
    // The send handlers call saveEmail through the module's exports object: wrap it once.
    store.saveEmail = (email) => {
      original(email);
      if (logFile) appendFileSync(logFile, `${JSON.stringify(email)}\n`);
    };
    wrapped = true;
  }
  store.clearStore();
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) original(JSON.parse(line));
  }
  logFile = file;
  const port = await freePort();
  const start = (
    require('aws-ses-v2-local') as { default: (c: { host: string; port: number }) => Promise<Server> }
  ).default;
  const server = await start({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        logFile = undefined;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
