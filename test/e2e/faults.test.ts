/**
 * Faults injected through the real embedded services (a runtime of its own, with fault proxies
 * between the functions and DynamoDB Local and the SES emulator; see infra/local/fault-proxy.ts):
 * DynamoDB throttling for a stretch, SES throttling for a stretch, and consumers crashing right
 * after their state write. After each: every hire a member exactly once, no mail sent twice,
 * nothing left in a queue, nothing in a DLQ; every welcome mail sent, except that a crash of
 * send-email may leave the mails it had claimed at that instant `uncertain` for an operator
 * (`gonghui mail uncertain`), never sent again automatically (send-notifications.ts says why).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DlqMessage, listDlq } from '../../infra/cli/commands/dlq.ts';
import { listMail, uncertainMail } from '../../infra/cli/commands/mail.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import type { FaultRule } from '../../infra/local/fault-proxy.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/adapters/keys.ts';
import { gonghuiThroughPipes } from '../support/cli-pipe.ts';
import { recordFigure } from '../support/figures.ts';
import { putHires } from '../support/put-hires.ts';
import { hiredEvent, uniqueId } from './support.ts';

let rt: Runtime;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gonghui-faults-'));
  rt = await startRuntime({
    dataDir,
    port: 0,
    sesMaxSendRate: 200,
    // Short, so that a failed batch comes back soon, but long enough for the one receive a crash
    // case leaves it: with two crashes and the hr queue's 3 receives, the third receive must finish
    // its 1-s batching window, a cold start and the batch within the timeout, or SQS moves the
    // batch to the DLQ, as it should (seen with 2 and 3 s on a machine loaded by other runs: 10
    // hires of the crash case in the DLQ, all enrolled). Each crash costs one timeout of waiting.
    visibilityTimeoutSeconds: 8,
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
  // Every recipient: a hire in a department no branch has yet also mails the union office.
  const uncertainBefore = (await uncertainMail({}, rt.info)).length;
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
  const recipients = new Set(mails.map((m) => m.to[0]!));
  // One scan of the ledger: every recipient's uncertain mails, and the hires' among them.
  const uncertainAll = await uncertainMail({}, rt.info);
  const uncertain = new Set(uncertainAll.map((m) => m.to).filter((to) => addresses.has(to)));
  const status = await rt.status();
  const leftInQueues = Object.values(status.queues).reduce((s, q) => s + q.visible + q.inflight, 0);
  const inDlqs = Object.values(status.queues).reduce((s, q) => s + q.dlqVisible, 0);
  return {
    hires: n,
    members: members.filter((m) => m.enrolled).length,
    'distinct numbers': numbers.size,
    'mails sent': mails.length,
    'duplicate mails': mails.length - recipients.size,
    'mails left uncertain': uncertain.size,
    'of which SES had taken': [...uncertain].filter((to) => recipients.has(to)).length,
    'mails left uncertain, any recipient': uncertainAll.length - uncertainBefore,
    // A hire with no welcome mail that the ledger does not show the operator: a mail lost.
    'hires without a mail or an uncertain record': [...addresses].filter(
      (to) => !recipients.has(to) && !uncertain.has(to),
    ).length,
    'left in queues': leftInQueues,
    'in DLQs': inDlqs,
  };
};

/**
 * `mayLeaveUncertain`: a crash of send-email itself. The mails it had claimed at that instant
 * (claims that come together share one transaction, so several at a loaded moment: 6 of 20 seen
 * in CI) stay `uncertain`, whether or not SES had taken them: nobody can tell whether the dead
 * sender's call reached SES, and sending again could send twice. So there, a hire may lack its
 * mail only if the ledger shows the operator its mail as uncertain.
 */
const expectSurvived = (outcome: Awaited<ReturnType<typeof hiresSurvive>>, mayLeaveUncertain: boolean) => {
  const unsent = outcome['mails left uncertain'] - outcome['of which SES had taken'];
  expect(outcome).toEqual({
    hires: outcome.hires,
    members: outcome.hires,
    'distinct numbers': outcome.hires,
    'mails sent': mayLeaveUncertain ? outcome.hires - unsent : outcome.hires,
    'duplicate mails': 0,
    'mails left uncertain': mayLeaveUncertain ? outcome['mails left uncertain'] : 0,
    'mails left uncertain, any recipient': mayLeaveUncertain
      ? outcome['mails left uncertain, any recipient']
      : 0,
    'of which SES had taken': outcome['of which SES had taken'],
    'hires without a mail or an uncertain record': 0,
    'left in queues': 0,
    'in DLQs': 0,
  });
};

interface FaultCase {
  name: string;
  id: string;
  what: string;
  service: 'dynamodb' | 'ses';
  rule: FaultRule;
  hires: number;
  /** How many faults the case must have injected (at least one when absent). */
  exactly?: number;
  /**
   * A crash of send-email: the mails claimed at that instant may be left uncertain ('allowed'),
   * or must be ('expected': the crash follows a claim, before its send).
   */
  uncertain?: 'allowed' | 'expected';
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
    what: 'send-email crashing after SES took mails and the mail ledger recorded them (one BatchWriteItem of records), before the batch could answer (twice); mails claimed at the crash are left uncertain for an operator, none sent twice',
    service: 'dynamodb',
    rule: { kind: 'crash-after', function: 'send-email', operation: 'BatchWriteItem', count: 2 },
    hires: 20,
    exactly: 2,
    uncertain: 'allowed',
  },
  {
    name: 'send-email crashing right after claiming a mail, before its send',
    id: 'faults.crash-after-mail-claim',
    what: "send-email crashing after the mail ledger took a mail's claim (a lone claim is one PutItem), before it could call SES: the mail is left uncertain for an operator (a welcome, or the union office's notice of an unmapped department), never sent automatically",
    service: 'dynamodb',
    rule: { kind: 'crash-after', function: 'send-email', operation: 'PutItem', count: 1 },
    hires: 10,
    exactly: 1,
    uncertain: 'expected',
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
    expectSurvived(outcome, c.uncertain !== undefined);
    // The claimed mail may be the union office's rather than a welcome (see hiresSurvive).
    if (c.uncertain === 'expected') expect(outcome['mails left uncertain, any recipient']).toBeGreaterThan(0);
  });
});

describe('dead letters under faults', () => {
  it('a malformed HR event is in `gonghui dlq list` with its reason within 5 s, while a throttled valid one is retried and lands', async () => {
    const { name: _name, email: _email, ...nameless } = hiredEvent(uniqueId('DLQBAD')).detail;
    const bad = { ...hiredEvent('unused'), detail: nameless };
    const good = hiredEvent(uniqueId('DLQGOOD'));
    const throttles = async () => (await injected()).dynamodb.throttle ?? 0;
    const throttledBefore = await throttles();
    // DynamoDB answers enrol-member's next three calls as it does when it throttles: a failure
    // that passes on a retry; the SDK backs off and tries again. (Five, all of one call's
    // attempts, take ~8 s of backoff: on a loaded machine the queue's short test visibility
    // timeout then ran out three times and SQS moved the valid event to the DLQ, as it should.)
    await inject('dynamodb', { kind: 'throttle', function: 'enrol-member', count: 3 });

    const bus = new EventBridgeClient(localClientConfig(rt.info, rt.info.endpoints.eventbridge));
    const published = Date.now();
    const out = await bus.send(
      new PutEventsCommand({
        Entries: [bad, good].map((e) => ({
          EventBusName: rt.info.busName,
          Source: e.source,
          DetailType: e['detail-type'],
          Detail: JSON.stringify(e.detail),
        })),
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    const eventIdOf = (m: { body: unknown }) => (m.body as { detail?: { eventId?: string } }).detail?.eventId;
    let dead: DlqMessage | undefined;
    while (!dead && Date.now() - published < 5_000) {
      dead = (await listDlq({ queue: 'hr' }, rt.info)).find((m) => eventIdOf(m) === bad.detail.eventId);
      if (!dead) await new Promise((r) => setTimeout(r, 100));
    }
    const restedAfterMs = Date.now() - published;
    expect(dead, 'in the hr DLQ within 5 s of publishing').toBeDefined();
    expect(dead).toMatchObject({ queue: 'hr', in: 'hr-dlq', consumer: 'enrol-member' });
    expect(dead!.reason).toMatch(/detail\.name: .*detail\.email: /);
    expect(dead!.body).toMatchObject({ detail: nameless });

    // The valid one: throttled, tried again, enrolled once with its one welcome mail, and never
    // dead-lettered (a throttled attempt cannot succeed: landing means it was retried).
    await waitForIdle(rt.info.controlUrl, 120_000);
    expect((await throttles()) - throttledBefore).toBe(3);
    const deadNow = await listDlq({ queue: 'hr' }, rt.info);
    expect(deadNow.filter((m) => eventIdOf(m) === good.detail.eventId)).toEqual([]);
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient(localClientConfig(rt.info, rt.info.endpoints.dynamodb)),
    );
    const member = (
      await db.send(
        new GetCommand({
          TableName: rt.info.tableName,
          Key: keys.memberByEmployee(good.detail.employeeId),
          ConsistentRead: true,
        }),
      )
    ).Item;
    expect(member).toMatchObject({ enrolled: true, status: 'active' });
    expect((await listMail(rt.info)).filter((m) => m.to[0] === good.detail.email)).toHaveLength(1);

    // What the operator runs, through a pipe: both forms name the consumer and the reason. (The
    // peek above hides what it saw for a few seconds.)
    await new Promise((r) => setTimeout(r, 3_500));
    const env = { GONGHUI_DATA_DIR: rt.info.dataDir };
    const listed = await gonghuiThroughPipes(['dlq', 'list', '--queue', 'hr', '--json'], { env });
    expect(listed.code).toBe(0);
    const asJson = (JSON.parse(listed.stdout.toString('utf8')) as DlqMessage[]).filter(
      (m) => eventIdOf(m) === bad.detail.eventId,
    );
    // At least once, each copy with its reason: here the batch that held it outlived the 3-s
    // visibility timeout (its valid neighbour waited out the SDK's backoff), so the queue delivered
    // it again and it was dead-lettered again. On AWS the visibility timeout is at least the
    // function's timeout (the stack refuses less), so an invocation ends before a redelivery.
    expect(asJson.length).toBeGreaterThanOrEqual(1);
    expect(asJson.filter((m) => m.consumer !== 'enrol-member' || m.reason !== dead!.reason)).toEqual([]);
    await new Promise((r) => setTimeout(r, 3_500));
    const human = await gonghuiThroughPipes(['dlq', 'list', '--queue', 'hr'], { env });
    expect(human.stdout.toString('utf8')).toContain(`enrol-member 拒收 refused it: ${dead!.reason}`);
    recordFigure({
      id: 'faults.dead-letter-at-once',
      section: 'faults',
      what: 'an HR hire without name and email beside a valid one whose enrolment DynamoDB throttles (3 calls): the malformed one in the hr DLQ with its reason, the valid one retried by the queue',
      counts: { 'ms from publishing to the DLQ (limit 5,000)': restedAfterMs, 'valid ones enrolled': 1 },
      command: 'npx vitest run test/e2e/faults.test.ts',
    });
  });
});
