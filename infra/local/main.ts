/**
 * `npm start`: the embedded runtime in the foreground.
 *   GONGHUI_DATA_DIR            where everything is kept (default .data); survives a restart
 *   PORT                        the API's port on 127.0.0.1 (default 3000)
 *   GONGHUI_SES_MAX_SEND_RATE   the SES rate send-email paces to (default 14 mails/s)
 *   GONGHUI_VISIBILITY_TIMEOUT  overrides every queue's visibility timeout, seconds (soak runs:
 *                               what a killed runtime held comes back within it)
 *   GONGHUI_ENROLMENT_MODE      automatic (default) or confirm (HR's hire invites)
 *   GONGHUI_DISPATCHED_STAFF    enrol (default) or skip (dispatched staff; the office is told)
 * Ctrl-C or SIGTERM stops everything and exits 0; a second Ctrl-C exits at once (DynamoDB Local's
 * watchdog still ends java).
 */
import { resolve } from 'node:path';
import { JavaMissingError } from './dynamodb.ts';
import { PortInUseError } from './ports.ts';
import { type Runtime, RuntimeAlreadyRunningError, startRuntime } from './runtime.ts';

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const positive = (name: string, raw: string | undefined, integer: boolean): number | undefined => {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  const ok =
    Number.isFinite(value) && (integer ? Number.isInteger(value) && value >= 0 && value < 65_536 : value > 0);
  return ok ? value : fail(`${name}=${raw} is not a valid ${integer ? 'port' : 'positive number'}`);
};

const dataDir = resolve(process.env.GONGHUI_DATA_DIR ?? '.data');
const port = positive('PORT', process.env.PORT, true) ?? 3000;
const sesMaxSendRate = positive('GONGHUI_SES_MAX_SEND_RATE', process.env.GONGHUI_SES_MAX_SEND_RATE, false);
const visibilityTimeoutSeconds = positive(
  'GONGHUI_VISIBILITY_TIMEOUT',
  process.env.GONGHUI_VISIBILITY_TIMEOUT,
  false,
);
const choice = <T extends string>(name: string, values: readonly T[]): T | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    process.stderr.write(`${name} must be one of ${values.join(', ')}, got "${raw}"\n`);
    process.exit(2);
  }
  return raw as T;
};
const enrolmentMode = choice('GONGHUI_ENROLMENT_MODE', ['automatic', 'confirm'] as const);
const dispatchedStaff = choice('GONGHUI_DISPATCHED_STAFF', ['enrol', 'skip'] as const);
const time = () => new Date().toISOString().slice(11, 23);

let runtime: Runtime | undefined;
let stopping = false;
let pendingSignal: string | undefined;

const shutdown = async (signal: string) => {
  stopping = true;
  process.stdout.write(`\n${signal}: stopping (Ctrl-C again to quit at once)…\n`);
  await runtime?.stop();
  process.stdout.write('Stopped.\n');
  process.exit(0);
};
/**
 * Under `npm start` one Ctrl-C arrives twice: from the terminal (to the whole process group) and
 * forwarded by npm. So a signal within a second of the first is that same Ctrl-C, not a second one.
 */
const SAME_SIGNAL_MS = 1_000;
let firstSignalAt = 0;

const onSignal = (signal: string) => {
  if (stopping || pendingSignal) {
    if (Date.now() - firstSignalAt < SAME_SIGNAL_MS) return;
    process.stderr.write('\nQuitting at once.\n');
    process.exit(130);
  }
  firstSignalAt = Date.now();
  if (runtime) void shutdown(signal);
  else {
    // Mid-start: stop cleanly once the start is through.
    pendingSignal = signal;
    process.stdout.write(`\n${signal}: stopping once started (Ctrl-C again to quit at once)…\n`);
  }
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

const started = Date.now();
process.stdout.write(`工会 Gonghui: starting the local runtime in ${dataDir} …\n`);
try {
  runtime = await startRuntime({
    dataDir,
    port,
    ...(sesMaxSendRate !== undefined ? { sesMaxSendRate } : {}),
    ...(visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds } : {}),
    settings: {
      ...(enrolmentMode ? { enrolmentMode } : {}),
      ...(dispatchedStaff ? { dispatchedStaff } : {}),
    },
    log: (line) => process.stdout.write(`${time()} ${line}\n`),
  });
} catch (error) {
  if (
    error instanceof JavaMissingError ||
    error instanceof PortInUseError ||
    error instanceof RuntimeAlreadyRunningError
  ) {
    fail(error.message);
  }
  fail(
    `The local runtime could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
}
if (pendingSignal) await shutdown(pendingSignal);

const { info } = runtime!;
process.stdout.write(
  [
    `Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    `  Web app     ${info.apiUrl}/          (sign in: pick a 工号 and roles; or ${info.apiUrl}/dev/sign-in?sub=T1001&roles=delegate,member)`,
    `  API         ${info.apiUrl}          (try: curl ${info.apiUrl}/health; the app reaches it under /api/)`,
    `  Mail inbox  ${info.inboxUrl}`,
    `  Data        ${info.dataDir}   (function logs in ${info.logDir})`,
    '  Stop        Ctrl-C',
    '',
  ].join('\n'),
);
