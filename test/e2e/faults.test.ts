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
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMail } from '../../infra/cli/commands/mail.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import type { FaultRule } from '../../infra/local/fault-proxy.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/adapters/keys.ts';
import { recordFigure } from '../support/figures.ts';
import { hiredEvent, uniqueId } from './support.ts';

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
  const bus = new EventBridgeClient(localClientConfig(rt.info, rt.info.endpoints.eventbridge));
  await during();
  for (let i = 0; i < ids.length; i += 10) {
    await bus.send(
      new PutEventsCommand({
        Entries: ids.slice(i, i + 10).map((id) => {
          const e = hiredEvent(id);
          return {
            EventBusName: rt.info.busName,
            Source: e.source,
            DetailType: e['detail-type'],
            Detail: JSON.stringify(e.detail),
          };
        }),
      }),
    );
  }
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
  const mails = (await listMail(rt.info.endpoints.ses)).filter((m) => addresses.has(m.to[0]!));
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

describe('faults', () => {
  it('DynamoDB throttling every call of enrol-member for 3 s', async () => {
    const before = (await injected()).dynamodb.throttle ?? 0;
    const outcome = await hiresSurvive('FTD', 30, () =>
      inject('dynamodb', { kind: 'throttle', function: 'enrol-member', forMs: 3_000 }),
    );
    const faults = (await injected()).dynamodb.throttle! - before;
    recordFigure({
      id: 'faults.dynamodb-throttle',
      section: 'faults',
      what: 'DynamoDB throttling every call of enrol-member for 3 s while 30 hires arrive',
      counts: { injected: faults, ...outcome },
      command: 'npx vitest run test/e2e/faults.test.ts',
    });
    expect(faults).toBeGreaterThan(0);
    expectSurvived(outcome);
  });

  it('SES throttling every send for 3 s', async () => {
    const before = (await injected()).ses.throttle ?? 0;
    const outcome = await hiresSurvive('FTS', 30, () =>
      inject('ses', { kind: 'throttle', operation: 'SendEmail', forMs: 3_000 }),
    );
    const faults = (await injected()).ses.throttle! - before;
    recordFigure({
      id: 'faults.ses-throttle',
      section: 'faults',
      what: 'SES answering "Maximum sending rate exceeded" to every send for 3 s while 30 welcome mails are due',
      counts: { injected: faults, ...outcome },
      command: 'npx vitest run test/e2e/faults.test.ts',
    });
    expect(faults).toBeGreaterThan(0);
    expectSurvived(outcome);
  });

  it('enrol-member crashing right after its transaction (members, counter and outbox written)', async () => {
    const before = (await injected()).dynamodb['crash-after'] ?? 0;
    const outcome = await hiresSurvive('FTC', 20, () =>
      inject('dynamodb', {
        kind: 'crash-after',
        function: 'enrol-member',
        operation: 'TransactWriteItems',
        count: 2,
      }),
    );
    const faults = (await injected()).dynamodb['crash-after']! - before;
    recordFigure({
      id: 'faults.crash-after-enrolment',
      section: 'faults',
      what: 'enrol-member crashing after its enrolment transaction committed, before it could answer (twice)',
      counts: { injected: faults, ...outcome },
      command: 'npx vitest run test/e2e/faults.test.ts',
    });
    expect(faults).toBe(2);
    expectSurvived(outcome);
  });

  it('send-email crashing right after recording a sent mail', async () => {
    const before = (await injected()).dynamodb['crash-after'] ?? 0;
    const outcome = await hiresSurvive('FTM', 20, () =>
      inject('dynamodb', { kind: 'crash-after', function: 'send-email', operation: 'UpdateItem', count: 2 }),
    );
    const faults = (await injected()).dynamodb['crash-after']! - before;
    recordFigure({
      id: 'faults.crash-after-mail-record',
      section: 'faults',
      what: 'send-email crashing after SES took a mail and the mail ledger recorded it, before the batch could answer (twice)',
      counts: { injected: faults, ...outcome },
      command: 'npx vitest run test/e2e/faults.test.ts',
    });
    expect(faults).toBe(2);
    expectSurvived(outcome);
  });
  it('a DynamoDB call of enrol-member held past the client timeout (the write lands late)', async () => {
    const before = (await injected()).dynamodb.delay ?? 0;
    const outcome = await hiresSurvive('FTT', 10, () =>
      inject('dynamodb', {
        kind: 'delay',
        function: 'enrol-member',
        operation: 'TransactWriteItems',
        delayMs: 11_000,
        count: 1,
      }),
    );
    const faults = (await injected()).dynamodb.delay! - before;
    recordFigure({
      id: 'faults.dynamodb-timeout',
      section: 'faults',
      what: 'an enrolment transaction held 11 s, past the SDK timeout of 10 s: the SDK retries while the first attempt still lands',
      counts: { injected: faults, ...outcome },
      command: 'npx vitest run test/e2e/faults.test.ts',
    });
    expect(faults).toBe(1);
    expectSurvived(outcome);
  });
});
