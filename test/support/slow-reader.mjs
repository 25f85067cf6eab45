// The reading end of a pipe in test/support/cli-pipe.ts: copies stdin to stdout, and after each
// chunk it takes from the pipe waits `argv[2]` ms before taking the next (0: as fast as it can).
const pauseMs = Number(process.argv[2] ?? 0);
process.stdin.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (pauseMs > 0) {
    process.stdin.pause();
    setTimeout(() => process.stdin.resume(), pauseMs);
  }
});
