/** Ports on 127.0.0.1 and waiting for a server to answer: what every emulator's start needs. */
import { createServer } from 'node:net';

/** A port the OS says is free now (bind 127.0.0.1:0, read the port, close). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(readonly port: number) {
    super(
      `Port ${port} is already in use: stop what uses it, or choose another port (PORT=${port + 1} npm start)`,
    );
  }
}

/**
 * Fails at once when `port` cannot be bound on 127.0.0.1, so a taken API port is reported before
 * seconds go into starting DynamoDB Local. (Something may still take it before the gateway binds;
 * the gateway's own error then says the same thing.)
 */
export const assertPortFree = (port: number): Promise<void> =>
  port === 0
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.once('error', (error: NodeJS.ErrnoException) =>
          reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error),
        );
        server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
      });

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `check` every `intervalMs` until it returns true; a throw counts as "not yet". Gives up
 * after `timeoutMs` with the last error, or at once when `abort` says the server is gone.
 */
export const waitUntil = async (
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; abort?: () => string | undefined },
): Promise<void> => {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted) throw new Error(`${what}: ${aborted}`);
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`${what} did not answer within ${opts.timeoutMs / 1000} s${why}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
};
