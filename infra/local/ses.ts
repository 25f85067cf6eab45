/**
 * aws-ses-v2-local, the SES emulator (SESv1 and v2 sends; an inbox page at `/`, JSON at
 * `/store`), in this process on 127.0.0.1.
 *
 * Its store is a module-level array, so:
 * - each start loads the package's own modules afresh (they are dropped from the require cache
 *   first): two runtimes in one process (tests) get two inboxes, not one shared one;
 * - the inbox is kept across restarts: the send handlers call `saveEmail` through the store
 *   module's exports object, so wrapping that export sees every saved mail, which is appended to
 *   `<dataDir>/ses/emails.jsonl`; at start the file is read back into the store directly (not
 *   through saveEmail, which would relay old mail again when SMTP_TRANSPORT is set).
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join, sep } from 'node:path';

const require = createRequire(import.meta.url);

/** The parts of `aws-ses-v2-local/dist/store.js` used here. */
interface SesStoreModule {
  saveEmail: (email: StoredEmail) => void;
  getStoreReadonly: () => { emails: StoredEmail[] };
}

/** A mail as the emulator stores it (and `/store` serves it). */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
  [key: string]: unknown;
}

export interface SesLocal {
  endpoint: string;
  /** The emulator's web inbox. */
  inboxUrl: string;
  stop(): Promise<void>;
}

const packageDist = `${dirname(require.resolve('aws-ses-v2-local/package.json'))}${sep}dist${sep}`;

/** Loads the emulator's modules as new instances (with their own store). */
const freshModules = () => {
  for (const id of Object.keys(require.cache)) if (id.startsWith(packageDist)) delete require.cache[id];
  const store = require('aws-ses-v2-local/dist/store.js') as SesStoreModule;
  const { default: server } = require('aws-ses-v2-local') as {
    default: (config: { host: string; port: number }) => Promise<Server>;
  };
  return { store, server };
};

/** Mails saved by an earlier run, one JSON object per line; a torn last line (a crash) is skipped. */
export const readSavedEmails = (file: string): StoredEmail[] => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const emails: StoredEmail[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      emails.push(JSON.parse(line) as StoredEmail);
    } catch {
      // half a line from a crash mid-write: the rest of the file is still good
    }
  }
  return emails;
};

export async function startSesLocal(opts: { dataDir: string }): Promise<SesLocal> {
  const dir = join(opts.dataDir, 'ses');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'emails.jsonl');
  const { store, server: startServer } = freshModules();

  store.getStoreReadonly().emails.push(...readSavedEmails(file));
  const save = store.saveEmail;
  let persisting = true;
  store.saveEmail = (email) => {
    save(email);
    // Synchronous append: the send's response goes out only after the mail is on disk.
    if (persisting) appendFileSync(file, `${JSON.stringify(email)}\n`);
  };

  const server = await startServer({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        persisting = false;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
