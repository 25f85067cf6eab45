/**
 * `npm start`: the embedded runtime in the foreground. GONGHUI_DATA_DIR (default .data) keeps
 * its data across restarts, PORT (default 3000) is the API's port, GONGHUI_SES_MAX_SEND_RATE
 * the SES rate send-email paces to. Ctrl-C or SIGTERM stops everything; a second Ctrl-C exits.
 */
import { JavaMissing } from './dynamodb.ts';
import { startRuntime } from './runtime.ts';

const dataDir = process.env.GONGHUI_DATA_DIR ?? '.data';
const port = process.env.PORT ? Number(process.env.PORT) : 3000;
const rate = process.env.GONGHUI_SES_MAX_SEND_RATE
  ? Number(process.env.GONGHUI_SES_MAX_SEND_RATE)
  : undefined;

const started = Date.now();
try {
  const runtime = await startRuntime({
    dataDir,
    port,
    ...(rate ? { sesMaxSendRate: rate } : {}),
    log: (line) => process.stderr.write(`[gonghui] ${line}\n`),
  });
  const { info } = runtime;
  process.stdout.write(
    [
      `工会 Gonghui is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  API:        ${info.apiUrl}    (curl ${info.apiUrl}/health)`,
      `  Mail inbox: ${info.inboxUrl}`,
      `  Data:       ${info.dataDir}`,
      '  Commands:   npx gonghui --help    Stop: Ctrl-C',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    await runtime.stop();
    process.stdout.write('stopped\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof JavaMissing) {
    process.stderr.write(`${error.message}\n`);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`Port ${port} is taken: stop what uses it, or start with PORT=3001 npm start\n`);
  } else {
    process.stderr.write(`gonghui could not start: ${(error as Error).stack ?? error}\n`);
  }
  process.exit(1);
}
