/**
 * fauxqs, the SQS emulator, in this process, persistent under `<dataDir>/sqs` (SQLite).
 *
 * fauxqs 2 hard-codes `listen({ host: '0.0.0.0' })` (its `host` option only names queue URLs), and
 * nothing of this runtime may listen beyond 127.0.0.1. So while fauxqs starts, and only then,
 * net.Server.prototype.listen rewrites a requested 0.0.0.0 to 127.0.0.1. Concurrent starts in
 * one process share one patch (a counter), so the original is always put back.
 *
 * fauxqs writes every send, receive and delete through to SQLite, each in a transaction of its
 * own, with SQLite's default synchronous=FULL: an fsync on the runtime's main thread per message
 * per action, which was a third of that thread's time in the 5,000-hire benchmark (the hr and
 * notify queues: six per hire). Its connection gets synchronous=NORMAL, WAL's usual companion:
 * a committed action still survives the runtime's crash or SIGKILL (the soak run); only a power
 * cut of the machine may take back the last ones.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Server } from 'node:net';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { startFauxqs } from 'fauxqs';

export interface SqsLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

let patchDepth = 0;
let originalListen: typeof Server.prototype.listen | undefined;

const rewriteAnyHost = (args: unknown[]): unknown[] => {
  const [first] = args;
  if (first && typeof first === 'object' && (first as { host?: unknown }).host === '0.0.0.0') {
    return [{ ...(first as object), host: '127.0.0.1' }, ...args.slice(1)];
  }
  return args;
};

/** Runs `start` with every `listen` on 0.0.0.0 turned into 127.0.0.1. */
export const withLoopbackListen = async <T>(start: () => Promise<T>): Promise<T> => {
  if (patchDepth++ === 0) {
    const original = Server.prototype.listen;
    originalListen = original;
    Server.prototype.listen = function loopbackListen(this: Server, ...args: unknown[]) {
      return (original as (...a: unknown[]) => Server).apply(this, rewriteAnyHost(args));
    } as typeof Server.prototype.listen;
  }
  try {
    return await start();
  } finally {
    if (--patchDepth === 0 && originalListen) {
      Server.prototype.listen = originalListen;
      originalListen = undefined;
    }
  }
};

/** fauxqs's persistence class: not exported by the package, so reached through its entry's URL. */
interface PersistenceClass {
  prototype: { prepareStatements(this: { db: DatabaseSync }): unknown };
}

let syncPatched = false;

/** A file of the installed fauxqs package (its exports name only the entry; Node's search path finds the rest). */
export const fauxqsFile = (path: string): string => {
  const dirs = createRequire(import.meta.url).resolve.paths('fauxqs') ?? [];
  const dir = dirs.map((d) => join(d, 'fauxqs')).find((d) => existsSync(join(d, 'package.json')));
  if (!dir) throw new Error('fauxqs is not installed');
  return join(dir, path);
};

/** From now on, every fauxqs database connection runs with synchronous=NORMAL (once per process). */
export const relaxFauxqsSync = async (): Promise<void> => {
  if (syncPatched) return;
  const module = (await import(pathToFileURL(fauxqsFile('dist/persistence.js')).href)) as {
    PersistenceManager?: PersistenceClass;
  };
  const proto = module.PersistenceManager?.prototype;
  if (!proto || typeof proto.prepareStatements !== 'function')
    throw new Error('fauxqs changed: PersistenceManager.prepareStatements is gone (infra/local/sqs.ts)');
  const prepare = proto.prepareStatements;
  // The constructor opens the database, sets WAL, creates the schema, then prepares statements.
  proto.prepareStatements = function prepareWithNormalSync(this: { db: DatabaseSync }) {
    this.db.exec('PRAGMA synchronous = NORMAL');
    return prepare.call(this);
  };
  syncPatched = true;
};

export async function startSqsLocal(opts: { dataDir: string; region: string }): Promise<SqsLocal> {
  const dir = join(opts.dataDir, 'sqs');
  mkdirSync(dir, { recursive: true });
  await relaxFauxqsSync();
  const server = await withLoopbackListen(() =>
    startFauxqs({ port: 0, logger: false, dataDir: dir, defaultRegion: opts.region }),
  );
  const endpoint = `http://127.0.0.1:${server.port}`;
  return { endpoint, port: server.port, stop: () => server.stop() };
}

/**
 * The URL the runtime hands out for a queue: the live endpoint plus the path fauxqs returned.
 * fauxqs persists each queue's URL with the port of the run that created it, and the SDK sends a
 * request to the QueueUrl's origin whenever the client's endpoint came from AWS_ENDPOINT_URL_SQS
 * (as in every function), so a stale port would send functions nowhere after a restart.
 */
export const liveQueueUrl = (endpoint: string, returnedUrl: string): string =>
  `${endpoint}${new URL(returnedUrl).pathname}`;
