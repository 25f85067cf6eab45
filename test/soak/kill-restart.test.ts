/**
 * The runtime killed with SIGKILL in the middle of a 2,000-hire run, and started again on the same
 * data directory: no hire lost, none enrolled twice, every welcome mail in the inbox, queues and
 * DLQs empty. The runtime runs as `npm start` does (a process of its own, here with short
 * visibility timeouts so that what the killed process held comes back within seconds).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, expect, it } from 'vitest';
import { listMail, uncertainMail } from '../../infra/cli/commands/mail.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import type { RuntimeInfo } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/adapters/keys.ts';
import { recordFigure } from '../support/figures.ts';
import { putHires } from '../support/put-hires.ts';

const HIRES = Number(process.env.SOAK_HIRES ?? 2000);
const ROOT = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'gonghui-soak-'));
let child: ChildProcess | undefined;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Starts the runtime as `npm start` does, in a process of its own; resolves when it answers. */
const start = async (): Promise<{ proc: ChildProcess; info: RuntimeInfo }> => {
  const infoFile = join(dataDir, 'runtime.json');
  const proc = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      GONGHUI_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      GONGHUI_SES_MAX_SEND_RATE: '1000',
      GONGHUI_VISIBILITY_TIMEOUT: '15',
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the runtime did not start');
    if (existsSync(infoFile)) {
      const info = JSON.parse(readFileSync(infoFile, 'utf8')) as RuntimeInfo;
      if (info.pid === proc.pid) {
        const ok = await fetch(`${info.apiUrl}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return { proc, info };
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  if (child?.pid && alive(child.pid)) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  rmSync(dataDir, { recursive: true, force: true });
});

it('loses nothing and enrols no one twice when the runtime is killed mid-run and started again', async () => {
  const first = await start();
  child = first.proc;
  const run = `K${Date.now().toString(36).toUpperCase()}`;
  const ids = Array.from({ length: HIRES }, (_, i) => `${run}${String(i).padStart(5, '0')}`);
  await putHires(first.info, ids, 8);
  // Kill it while enrolment and mail are both under way.
  const addresses = new Set(ids.map((id) => `${id.toLowerCase()}@example.edu.cn`));
  const mailedSoFar = async () => (await listMail(first.info)).filter((m) => addresses.has(m.to[0]!)).length;
  const killDeadline = Date.now() + 60_000;
  while ((await mailedSoFar()) < HIRES / 5 && Date.now() < killDeadline)
    await new Promise((r) => setTimeout(r, 200));
  const mailedAtKill = await mailedSoFar();
  first.proc.kill('SIGKILL');
  await new Promise<void>((resolve) => first.proc.once('exit', () => resolve()));
  // DynamoDB Local's watchdog ends java once the runtime is gone; give it a moment.
  await new Promise((r) => setTimeout(r, 3000));

  const second = await start();
  child = second.proc;
  await waitForIdle(second.info.controlUrl, 420_000);

  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(second.info, second.info.endpoints.dynamodb)),
  );
  const members: Array<Record<string, unknown>> = [];
  for (let i = 0; i < ids.length; i += 100) {
    const out = await db.send(
      new BatchGetCommand({
        RequestItems: {
          [second.info.tableName]: {
            Keys: ids.slice(i, i + 100).map(keys.memberByEmployee),
            ConsistentRead: true,
          },
        },
      }),
    );
    members.push(...(out.Responses?.[second.info.tableName] ?? []));
  }
  const enrolled = members.filter((m) => m.enrolled);
  const numbers = new Set(enrolled.map((m) => m.membershipNumber));
  const mails = (await listMail(second.info)).filter((m) => addresses.has(m.to[0]!));
  const recipients = new Set(mails.map((m) => m.to[0]));
  const status = (await (await fetch(`${second.info.controlUrl}/status`)).json()) as {
    queues: Record<string, { visible: number; inflight: number; dlqVisible: number }>;
  };
  const uncertain = (await uncertainMail({}, second.info)).filter((m) => addresses.has(m.to));
  const uncertainDelivered = uncertain.filter((m) => recipients.has(m.to)).length;
  const leftInQueues = Object.values(status.queues).reduce((s, q) => s + q.visible + q.inflight, 0);
  const inDlqs = Object.values(status.queues).reduce((s, q) => s + q.dlqVisible, 0);
  const outcome = {
    hires: HIRES,
    'mails before the kill': mailedAtKill,
    members: enrolled.length,
    'distinct numbers': numbers.size,
    'hires without a welcome mail': HIRES - recipients.size,
    'duplicate mails': mails.length - recipients.size,
    'mails left uncertain (sender killed in its SES call)': uncertain.length,
    'of which SES had taken': uncertainDelivered,
    'left in queues': leftInQueues,
    'in DLQs': inDlqs,
  };
  recordFigure({
    id: 'faults.sigkill-2000-hires',
    section: 'faults',
    what: `the runtime killed with SIGKILL during a ${HIRES}-hire run (enrolment and mail under way), then started again on its data`,
    counts: { injected: 1, ...outcome },
    command: 'npm run test:soak',
  });
  second.proc.kill('SIGTERM');
  await new Promise<void>((resolve) => second.proc.once('exit', () => resolve()));
  expect(outcome).toMatchObject({
    members: HIRES,
    'distinct numbers': HIRES,
    'duplicate mails': 0,
    'left in queues': 0,
    'in DLQs': 0,
  });
  // Every hire has its welcome mail, or its mail is in the ledger as uncertain for an operator:
  // a mail whose sender was killed during its SES call is never sent a second time.
  expect(outcome['hires without a welcome mail']).toBeLessThanOrEqual(uncertain.length - uncertainDelivered);
  // Only sends under way at the kill can be uncertain: at most send-email's instances × batch.
  expect(uncertain.length).toBeLessThanOrEqual(50);
});
