/**
 * Faults injected through the real embedded services (a runtime of its own, with fault proxies
 * between the functions and DynamoDB Local and the SES emulator; see infra/local/fault-proxy.ts):
 * DynamoDB throttling for a stretch, SES throttling for a stretch, and consumers crashing right
 * after their state write. After each: every hire a member exactly once, every welcome mail sent
 * exactly once, nothing left in a queue, nothing in a DLQ.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMail } from '../../infra/cli/commands/mail.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import type { FaultRule } from '../../infra/local/fault-proxy.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/adapters/keys.ts';
import { recordFigure } from '../support/figures.ts';
import { putHires } from '../support/put-hires.ts';
import { uniqueId } from './support.ts';

let rt: Runtime;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gonghui-faults-'));
  rt = await startRuntime({
    dataDir,
    port: 0,
    sesMaxSendRate: 200,
    visibilityTimeoutSeconds: 2,
    faults: true,
  });
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const inject = async (service: 'dynamodb' | 'ses', rule: FaultRule) => {
  const res = await fetch(`${rt.info.controlUrl}/faults/${service}`, {
    method: 'POST',
    body: JSON.stringify(rule),
  });
  expect(res.status).toBe(200);
};
const injected = async () =>
  (await (await fetch(`${rt.info.controlUrl}/faults`)).json()) as Record<
    'dynamodb' | 'ses',
    Record<string, number>
  >;

/** Publishes `n` hires, waits until everything is done, and checks the outcome. */
const hiresSurvive = async (prefix: string, n: number, during: () => Promise<void>) => {
  const ids = Array.from({ length: n }, (_, i) => uniqueId(`${prefix}${i}X`));
  await during();
  await putHires(rt.info, ids);
  await waitForIdle(rt.info.controlUrl, 120_000);

  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(rt.info, rt.info.endpoints.dynamodb)),
  );
  const members =
    (
      await db.send(
        new BatchGetCommand({
          RequestItems: {
            [rt.info.tableName]: { Keys: ids.map(keys.memberByEmployee), ConsistentRead: true },
          },
        }),
      )
    ).Responses?.[rt.info.tableName] ?? [];
  const numbers = new Set(members.map((m) => m.membershipNumber));
  const addresses = new Set(ids.map((id) => `${id.toLowerCase()}@example.edu.cn`));
  const mails = (await listMail(rt.info)).filter((m) => addresses.has(m.to[0]!));
  const status = await rt.status();
  const leftInQueues = Object.values(status.queues).reduce((s, q) => s + q.visible + q.inflight, 0);
  const inDlqs = Object.values(status.queues).reduce((s, q) => s + q.dlqVisible, 0);
  return {
    hires: n,
    members: members.filter((m) => m.enrolled).length,
    'distinct numbers': numbers.size,
    'mails sent': mails.length,
    'duplicate mails': mails.length - new Set(mails.map((m) => m.to[0])).size,
    'left in queues': leftInQueues,
    'in DLQs': inDlqs,
  };
};

const expectSurvived = (outcome: Awaited<ReturnType<typeof hiresSurvive>>) =>
  expect(outcome).toEqual({
    hires: outcome.hires,
    members: outcome.hires,
    'distinct numbers': outcome.hires,
    'mails sent': outcome.hires,
    'duplicate mails': 0,
    'left in queues': 0,
    'in DLQs': 0,
  });

interface FaultCase {
  name: string;
  id: string;
  what: string;
  service: 'dynamodb' | 'ses';
  rule: FaultRule;
  hires: number;
  /** How many faults the case must have injected (at least one when absent). */
  exactly?: number;
}

const CASES: FaultCase[] = [
  {
    name: 'DynamoDB throttling every call of enrol-member for 3 s',
    id: 'faults.dynamodb-throttle',
    what: 'DynamoDB throttling every call of enrol-member for 3 s while 30 hires arrive',
    service: 'dynamodb',
    rule: { kind: 'throttle', function: 'enrol-member', forMs: 3_000 },
    hires: 30,
  },
  {
    name: 'SES throttling every send for 3 s',
    id: 'faults.ses-throttle',
    what: 'SES answering "Maximum sending rate exceeded" to every send for 3 s while 30 welcome mails are due',
    service: 'ses',
    rule: { kind: 'throttle', operation: 'SendEmail', forMs: 3_000 },
    hires: 30,
  },
  {
    name: 'enrol-member crashing right after its transaction (members, counter and outbox written)',
    id: 'faults.crash-after-enrolment',
    what: 'enrol-member crashing after its enrolment transaction committed, before it could answer (twice)',
    service: 'dynamodb',
    rule: { kind: 'crash-after', function: 'enrol-member', operation: 'TransactWriteItems', count: 2 },
    hires: 20,
    exactly: 2,
  },
  {
    name: 'send-email crashing right after recording a sent mail',
    id: 'faults.crash-after-mail-record',
    what: 'send-email crashing after SES took mails and the mail ledger recorded them (one BatchWriteItem of records), before the batch could answer (twice)',
    service: 'dynamodb',
    rule: { kind: 'crash-after', function: 'send-email', operation: 'BatchWriteItem', count: 2 },
    hires: 20,
    exactly: 2,
  },
  {
    name: 'a DynamoDB call of enrol-member held past the client timeout (the write lands late)',
    id: 'faults.dynamodb-timeout',
    what: 'an enrolment transaction held 11 s, past the SDK timeout of 10 s: the SDK retries while the first attempt still lands',
    service: 'dynamodb',
    rule: {
      kind: 'delay',
      function: 'enrol-member',
      operation: 'TransactWriteItems',
      delayMs: 11_000,
      count: 1,
    },
    hires: 10,
    exactly: 1,
  },
];

describe('faults', () => {
  it.each(CASES)('$name', async (c) => {
    const count = async () => (await injected())[c.service][c.rule.kind] ?? 0;
    const before = await count();
    const outcome = await hiresSurvive(c.id.slice(7, 10).toUpperCase(), c.hires, () =>
      inject(c.service, c.rule),
    );
    const faults = (await count()) - before;
    recordFigure({
      id: c.id,
      section: 'faults',
      what: c.what,
      counts: { injected: faults, ...outcome },
      command: 'npx vitest run test/e2e/faults.test.ts',
    });
    if (c.exactly !== undefined) expect(faults).toBe(c.exactly);
    else expect(faults).toBeGreaterThan(0);
    expectSurvived(outcome);
  });
});
