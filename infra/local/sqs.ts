/**
 * fauxqs, the SQS emulator, in this process, persistent under the data directory. fauxqs binds
 * 0.0.0.0 with no option to change it; the servers we start bind 127.0.0.1, so the host is
 * rewritten while fauxqs starts (and only then).
 */
import { mkdirSync } from 'node:fs';
import { Server } from 'node:net';
import { join } from 'node:path';
import { startFauxqs } from 'fauxqs';

export interface SqsLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export const startSqsLocal = async (dataDir: string, region: string): Promise<SqsLocal> => {
  const dir = join(dataDir, 'sqs');
  mkdirSync(dir, { recursive: true });
  const listen = Server.prototype.listen;
  Server.prototype.listen = function patched(this: Server, ...args: unknown[]) {
    const [first] = args;
    if (first && typeof first === 'object' && (first as { host?: string }).host === '0.0.0.0') {
      (first as { host?: string }).host = '127.0.0.1';
    }
    return (listen as (...a: unknown[]) => Server).apply(this, args);
  } as typeof listen;
  let server: Awaited<ReturnType<typeof startFauxqs>>;
  try {
    server = await startFauxqs({
      port: 0,
      logger: false,
      dataDir: dir,
      defaultRegion: region,
      host: '127.0.0.1',
    });
  } finally {
    Server.prototype.listen = listen;
  }
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    stop: () => server.stop(),
  };
};
