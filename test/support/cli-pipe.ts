/**
 * Runs the `gonghui` command as a user's shell runs `gonghui … | wc -c`: bash puts a real pipe
 * (64 KiB of buffer) between the command's stdout and a reader, and another after its stderr.
 * (Node's own `spawn` would hand the command a socket pair, whose larger buffer hid the cut.)
 * The reader (slow-reader.mjs) may wait after each chunk it takes, so the pipe stays full and the
 * command has to wait for it. `pipefail` gives back the command's own exit code.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'gonghui.js');
const READER = join(ROOT, 'test', 'support', 'slow-reader.mjs');

export interface PipedRun {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

const readAll = (stream: Readable): Promise<Buffer> =>
  new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(Buffer.concat(chunks)));
    stream.on('error', fail);
  });

/** `pauseMs`: how long the readers wait after each chunk they take from the pipes (0: none). */
export const gonghuiThroughPipes = async (
  args: string[],
  opts: { pauseMs?: number; env?: Record<string, string> } = {},
): Promise<PipedRun> => {
  const reader = `"${process.execPath}" "${READER}" ${opts.pauseMs ?? 0}`;
  const script = `set -o pipefail; "$@" 2> >(${reader} >&2) | ${reader}`;
  const child = spawn('bash', ['-c', script, 'bash', process.execPath, BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  const exited = new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code) => done(code));
  });
  const [stdout, stderr, code] = await Promise.all([readAll(child.stdout), readAll(child.stderr), exited]);
  return { code, stdout, stderr };
};
