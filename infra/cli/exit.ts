/**
 * The CLI's one way out. `process.exit` ends the process at once, and what is still queued for a
 * pipe is lost: through `| wc -c` every output was cut at 64 KiB, the pipe's buffer (redirected
 * to a file it was whole, because writes to files are synchronous). So every command, `--help`
 * and every error leave through here: the exit code is set, stdout and stderr are flushed, and
 * only then does the process exit, however slowly the reader reads.
 */

/** Resolves once everything written to `stream` so far has been handed to the OS (or it broke). */
export const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    // A reader that went away (`| head`): nothing more can be delivered, so nothing to wait for.
    stream.once('error', () => resolve());
    // Writes complete in order: this empty write's callback runs after every earlier chunk's.
    stream.write('', () => resolve());
  });

/** Sets the exit code, waits until stdout and stderr are flushed, then exits. */
export const exitWhenFlushed = async (code: number): Promise<never> => {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  // Exits explicitly: an SDK client's pooled socket or a timer must not keep a finished command alive.
  process.exit(code);
};
