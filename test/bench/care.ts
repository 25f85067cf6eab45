/**
 * Care at scale on the embedded runtime: 20,000 members, a holiday for all of them end to end
 * (grant, ledger entry and mail each), and a birthday run over the same members. Reports members
 * per second, DynamoDB requests per member, and items read per due member for the birthdays.
 *
 * The members are not what is measured: they are written straight into the table in the shape the
 * member repository stores (its own `memberItem`), 25 to a BatchWriteItem, as an initial import
 * would leave them, without 20,000 MemberEnrolled events and their welcome mails. They sit in a
 * few large branches and many small ones, as a university's do.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient as DocClient,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { listMail } from '../../infra/cli/commands/mail.ts';
import { fetchStatus, waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { startRuntime } from '../../infra/local/runtime.ts';
import { sqsCareQueue } from '../../shared/adapters/care-queue-sqs.ts';
import { dynamoCareStore } from '../../shared/adapters/care-store-dynamodb.ts';
import { dynamoMemberDirectory } from '../../shared/adapters/member-directory-dynamodb.ts';
import { memberItem } from '../../shared/adapters/member-repository-dynamodb.ts';
import { planCare } from '../../shared/domain/care/planner.ts';
import { newId } from '../../shared/domain/ids.ts';
import type { Member } from '../../shared/domain/members/member.ts';
import { perUnit, startUsage } from './usage.ts';

/** 20,000 as the issue asks; BENCH_CARE_MEMBERS picks another size for a quick look. */
const MEMBERS = Number(process.env.BENCH_CARE_MEMBERS ?? 20_000);
const HOLIDAY_DATE = '2026-09-24'; // mid-autumn's dispatch date
const BIRTHDAY_DATE = '2026-11-25'; // no holiday dispatched that day
/** High enough that mail pacing is not what is measured (mail pacing has its own benchmark). */
const SES_RATE = 1000;

/** Shares of the members per branch: four large colleges, then smaller ones (sums to 1). */
const BRANCH_SHARES = [
  0.2, 0.15, 0.12, 0.1, 0.06, 0.06, 0.05, 0.05, 0.04, 0.04, 0.03, 0.03, 0.03, 0.02, 0.02,
];

const log = (line: string) => process.stdout.write(`  ${new Date().toISOString().slice(11, 19)} ${line}\n`);

const branchOf = (i: number) => {
  // Member i's branch, so that branch b holds BRANCH_SHARES[b] of them.
  const at = (i + 0.5) / MEMBERS;
  let sum = 0;
  for (let b = 0; b < BRANCH_SHARES.length; b++) {
    sum += BRANCH_SHARES[b]!;
    if (at < sum) return b;
  }
  return BRANCH_SHARES.length - 1;
};

const benchMember = (run: string, i: number, at: string): Member => {
  const employeeId = `CB${run}${String(i).padStart(6, '0')}`;
  const b = branchOf(i);
  const birth = new Date(Date.UTC(1990, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
  const gender = i % 2 ? 'male' : 'female';
  return {
    memberId: newId(),
    employeeId,
    enrolled: true,
    membershipNumber: `GLU-2025-${String(i + 1).padStart(6, '0')}`,
    name: `会员${i}`,
    gender,
    birthDate: birth,
    email: `${employeeId.toLowerCase()}@example.edu.cn`,
    department: { code: `CD${b}`, name: `学院${b}` },
    branch: { code: `CB${b}`, name: `第${b}分工会` },
    placementSince: '2025-03-01',
    womenFederation: gender === 'female',
    status: 'active',
    statusSince: '2025-03-01',
    category: 'teaching',
    employmentType: 'permanent',
    hireDate: '2025-03-01',
    joinedOn: '2025-03-01',
    stamps: {},
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
};

/** The members, straight into the table: 25 per BatchWriteItem, eight in flight, unprocessed ones retried. */
const loadMembers = async (db: DynamoDBDocumentClient, tableName: string, members: Member[]) => {
  const chunks = Array.from({ length: Math.ceil(members.length / 25) }, (_, c) =>
    members.slice(c * 25, c * 25 + 25),
  );
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let c = lane; c < chunks.length; c += 8) {
        let request: Record<string, unknown[]> | undefined = {
          [tableName]: chunks[c]!.map((m) => ({ PutRequest: { Item: memberItem(m) } })),
        };
        for (let attempt = 0; request && Object.keys(request).length; attempt++) {
          if (attempt) await new Promise((r) => setTimeout(r, 50 * attempt));
          const out = await db.send(new BatchWriteCommand({ RequestItems: request as never }));
          request = out.UnprocessedItems as typeof request;
        }
      }
    }),
  );
};

type QueueCounts = Record<string, { visible: number; inflight: number; delayed: number; dlqVisible: number }>;

/**
 * Waits until the runtime is drained, printing where the work is every 30 s; returns when the care
 * queue was first empty (every grant, ledger entry and outbox event written: what is left is mail).
 */
const drain = async (controlUrl: string, timeoutMs: number): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  let grantsDoneAt = 0;
  let lastLog = Date.now();
  for (;;) {
    const s = await fetchStatus(controlUrl);
    const queues = s.queues as QueueCounts;
    const care = queues.care!;
    if (!grantsDoneAt && care.visible + care.inflight + care.delayed === 0) grantsDoneAt = Date.now();
    if (Date.now() - lastLog > 30_000) {
      lastLog = Date.now();
      const busy = Object.entries(queues)
        .filter(([, q]) => q.visible + q.inflight + q.dlqVisible > 0)
        .map(
          ([name, q]) => `${name} ${q.visible}+${q.inflight}${q.dlqVisible ? ` (dlq ${q.dlqVisible})` : ''}`,
        );
      log(`queued+in flight: ${busy.join(', ') || 'none'}`);
    }
    if (s.idle || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await waitForIdle(controlUrl, Math.max(1000, deadline - Date.now()));
  return grantsDoneAt || Date.now();
};

export const benchCare = async (dataDir: string) => {
  const runtime = await startRuntime({ dataDir, port: 0, sesMaxSendRate: SES_RATE, meterDynamo: true });
  try {
    const info = runtime.info;
    const db = DocClient.from(new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)), {
      marshallOptions: { removeUndefinedValues: true },
    });
    // The departments, each mapped to its branch union (this also registers the branch for the fan-out).
    const directory = dynamoMemberDirectory(db, info.tableName);
    for (let b = 0; b < BRANCH_SHARES.length; b++) {
      await directory.putDepartment({
        departmentCode: `CD${b}`,
        departmentName: `学院${b}`,
        branch: { code: `CB${b}`, name: `第${b}分工会` },
        updatedAt: new Date().toISOString(),
        updatedBy: 'bench',
      });
    }
    const run = randomUUID().slice(0, 4).toUpperCase();
    const at = new Date().toISOString();
    const members = Array.from({ length: MEMBERS }, (_, i) => benchMember(run, i, at));
    const loadStarted = Date.now();
    await loadMembers(db, info.tableName, members);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    await waitForIdle(info.controlUrl, 5 * 60_000);
    log(`${MEMBERS} members written in ${loadSeconds.toFixed(0)} s`);

    const store = dynamoCareStore(db, info.tableName);
    const queue = sqsCareQueue(
      new SQSClient(localClientConfig(info, info.endpoints.sqs)),
      info.queues.care.url,
    );
    const care = { store, queue, now: () => new Date(), newId };

    // Holiday: every member is due (all active; mid-autumn is for everyone).
    runtime.dynamoMeter!.reset();
    const holidayUsage = await startUsage(runtime);
    const mailsBefore = (await listMail(info)).length;
    const holidayStarted = Date.now();
    const plan = await planCare(HOLIDAY_DATE, care);
    const grantsDoneAt = await drain(info.controlUrl, 15 * 60_000);
    const grantSeconds = (grantsDoneAt - holidayStarted) / 1000;
    const holidaySeconds = (Date.now() - holidayStarted) / 1000;
    await runtime.dynamoMeter!.settled();
    const holidayMeter = runtime.dynamoMeter!.reading();
    const holidayWork = await holidayUsage.read();
    const mails = (await listMail(info)).length - mailsBefore;
    log(
      `holiday: ${MEMBERS} members granted in ${grantSeconds.toFixed(0)} s, drained in ${holidaySeconds.toFixed(0)} s, ${mails} mails`,
    );

    // Birthdays: only the members born on that month-day are read.
    const bornOn = (date: string) => members.filter((m) => m.birthDate!.slice(5) === date.slice(5)).length;
    const due = bornOn(BIRTHDAY_DATE);
    // The holiday's run also grants the birthdays of its own day (one more mail each).
    const expectedMails = MEMBERS + bornOn(HOLIDAY_DATE);
    runtime.dynamoMeter!.reset();
    const birthdayUsage = await startUsage(runtime);
    const birthdayStarted = Date.now();
    await planCare(BIRTHDAY_DATE, care);
    await drain(info.controlUrl, 5 * 60_000);
    const birthdaySeconds = (Date.now() - birthdayStarted) / 1000;
    await runtime.dynamoMeter!.settled();
    const birthdayMeter = runtime.dynamoMeter!.reading();
    const birthdayWork = await birthdayUsage.read();

    const rate = MEMBERS / holidaySeconds;
    const requestsPerMember = holidayMeter.totalRequests / MEMBERS;
    // The planner's and grant-care's own requests (the meter tells callers apart; send-email's
    // claims are transactions too).
    const CARE_FUNCTIONS = ['plan-care', 'grant-care'];
    const careRequests = CARE_FUNCTIONS.flatMap((fn) =>
      Object.values(holidayMeter.byFunction[fn] ?? {}),
    ).reduce((a, b) => a + b, 0);
    const itemsPerDue = birthdayMeter.itemsRead / due;
    const ok = mails === expectedMails && careRequests / MEMBERS <= 2 && itemsPerDue <= 1.2;
    const sizes = BRANCH_SHARES.map((s) => Math.round(s * MEMBERS));
    const body = [
      `${MEMBERS} active members in ${BRANCH_SHARES.length} branches (${sizes.join(', ')}), written straight into the table in the member repository's item shape (setup, not measured: ${loadSeconds.toFixed(0)} s). Then the planner for ${HOLIDAY_DATE} (mid-autumn's dispatch date): ${plan.tasks} tasks on the care queue, each branch's pages handed on by grant-care; measured from the plan to the runtime drained (every grant, ledger entry, outbox event and mail). Then a birthday run for ${BIRTHDAY_DATE}. CareGranted mails at a configured SES rate of ${SES_RATE}/s.`,
      '',
      '| figure | value | target |',
      '|---|---:|---:|',
      `| holiday: mails sent (one per member, and the birthdays of ${HOLIDAY_DATE}) | ${mails} | ${expectedMails} |`,
      `| holiday: end to end (s), plan to drained | ${holidaySeconds.toFixed(1)} | |`,
      `| **holiday: members per second**, end to end (the last mail sent) | **${rate.toFixed(0)}** | |`,
      `| holiday: grants written (s), plan to the care queue empty: grant, ledger entry and outbox event of every member | ${grantSeconds.toFixed(1)} | |`,
      `| holiday: members per second, grants alone | ${(MEMBERS / grantSeconds).toFixed(0)} | |`,
      `| **holiday: DynamoDB requests per member, care path** (${CARE_FUNCTIONS.join(', ')}) | **${(careRequests / MEMBERS).toFixed(3)}** | ≤ 2 |`,
      `| holiday: DynamoDB requests per member, everything (incl. send-email's mail ledger claim and record) | ${requestsPerMember.toFixed(3)} | |`,
      `| holiday: items written in transactions per member | ${(holidayMeter.transactionalItems / MEMBERS).toFixed(3)} | |`,
      `| holiday: write request units per member, as on-demand DynamoDB bills them, care path (${CARE_FUNCTIONS.join(', ')}) and everything | ${(CARE_FUNCTIONS.reduce((n, fn) => n + (holidayMeter.unitsByFunction[fn]?.write ?? 0), 0) / MEMBERS).toFixed(2)}, ${(holidayMeter.billedWriteUnits / MEMBERS).toFixed(2)} | |`,
      `| birthday: members due on ${BIRTHDAY_DATE} | ${due} | |`,
      `| birthday: end to end (s) | ${birthdaySeconds.toFixed(1)} | |`,
      `| **birthday: items read per due member** | **${itemsPerDue.toFixed(3)}** | ≤ 1.2 |`,
      '',
      `Where the time goes: the grants (a page of 100 members read per task, 25 grants per TransactWriteItems, four grant-care instances) are done at ${grantSeconds.toFixed(0)} s; the rest is send-email working off the notify queue (per mail one SES call and the mail ledger's claim and record, claims and records of neighbouring mails sharing requests, two instances), which is what the end-to-end rate measures once the grants are written. The care path's own requests are the page queries and the transactions; the mail ledger's claim and record of every mail are send-email's exactly-once record and are counted in "everything".`,
      '',
      `Holiday requests by operation: ${Object.entries(holidayMeter.requests)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}. Birthday run: ${birthdayMeter.itemsRead} items read, requests ${Object.entries(
        birthdayMeter.requests,
      )
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}.`,
    ].join('\n');
    const grantCare = holidayWork.functions['grant-care'];
    return {
      title: `Care: a holiday and a birthday run over ${MEMBERS} members`,
      body,
      ok,
      figures: {
        members: MEMBERS,
        holidayMembersPerSecond: rate,
        grantsPerSecond: MEMBERS / grantSeconds,
        /** Per member granted a holiday: the plan, the grant, its ledger entry, its event and its mail. */
        perHolidayMember: perUnit(holidayWork, mails),
        /** Per member whose birthday it is, the same for a birthday run. */
        perBirthdayMember: perUnit(birthdayWork, due),
        /** grant-care's pages: members per invocation and billed ms per invocation. */
        grantPage: grantCare
          ? {
              membersPerInvocation: MEMBERS / grantCare.invocations,
              billedMsPerInvocation: grantCare.billedMs / grantCare.invocations,
              writeUnitsPerMember: grantCare.writeUnits / MEMBERS,
              requestsPerMember: grantCare.dynamoRequests / MEMBERS,
            }
          : undefined,
        planTasks: plan.tasks,
      },
    };
  } finally {
    await runtime.stop();
  }
};
