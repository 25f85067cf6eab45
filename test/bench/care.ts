/**
 * Care at scale on the embedded runtime: 20,000 members, a holiday for all of them end to end
 * (grant, ledger entry and mail each), and a birthday run over the same members. Reports members
 * per second, DynamoDB requests per member, and items read per due member for the birthdays.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HrEvent } from '../../events/hr.ts';
import { listMail } from '../../infra/cli/commands/mail.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { startRuntime } from '../../infra/local/runtime.ts';
import { sqsCareQueue } from '../../shared/adapters/care-queue-sqs.ts';
import { dynamoCareStore } from '../../shared/adapters/care-store-dynamodb.ts';
import { dynamoMemberRepository } from '../../shared/adapters/member-repository-dynamodb.ts';
import { planCare } from '../../shared/domain/care/planner.ts';
import { newId } from '../../shared/domain/ids.ts';
import { applyHrEvents } from '../../shared/domain/members/apply-hr-events.ts';
import { mapBenchDepartments } from './branches.ts';

const MEMBERS = 20_000;
const HOLIDAY_DATE = '2026-09-24'; // mid-autumn's dispatch date
const BIRTHDAY_DATE = '2026-11-25'; // no holiday dispatched that day
const SES_RATE = 1000;

export const benchCare = async (dataDir: string) => {
  const runtime = await startRuntime({ dataDir, port: 0, sesMaxSendRate: SES_RATE, meterDynamo: true });
  try {
    const info = runtime.info;
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)),
      {
        marshallOptions: { removeUndefinedValues: true },
      },
    );
    // Twenty departments, each its own branch union (a branch is the unit the holiday fans out over).
    await mapBenchDepartments(db, info.tableName);
    // The members: loaded through the enrolment use case as the initial import would (no welcome mails).
    const run = randomUUID().slice(0, 4).toUpperCase();
    const loadStarted = Date.now();
    const repo = dynamoMemberRepository(db, info.tableName);
    const events: HrEvent[] = Array.from({ length: MEMBERS }, (_, i) => {
      const employeeId = `CB${run}${String(i).padStart(6, '0')}`;
      const day = new Date(Date.UTC(1990, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(5, 10);
      return {
        version: '0',
        id: employeeId,
        source: 'university.hr',
        'detail-type': 'EmployeeHired',
        detail: {
          eventId: `import-${employeeId}`,
          occurredAt: '2026-01-05T09:00:00+08:00',
          employeeId,
          name: `会员${i}`,
          gender: i % 2 ? 'male' : 'female',
          birthDate: `1990-${day}`,
          email: `${employeeId.toLowerCase()}@example.edu.cn`,
          department: { code: `D${i % 20}`, name: `部门${i % 20}` },
          category: 'teaching',
          employmentType: 'permanent',
          hireDate: '2026-01-05',
        },
      };
    });
    const deps = { repo, membershipPrefix: 'GLU', now: () => new Date(), newId };
    const lanes = 4;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let i = lane * 25; i < events.length; i += lanes * 25)
          await applyHrEvents(events.slice(i, i + 25), deps, 'import');
      }),
    );
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    await waitForIdle(info.controlUrl, 10 * 60_000);

    const store = dynamoCareStore(db, info.tableName);
    const queue = sqsCareQueue(
      new SQSClient(localClientConfig(info, info.endpoints.sqs)),
      info.queues.care.url,
    );
    const care = { store, queue, now: () => new Date(), newId };

    // Holiday: every member is due (all active; mid-autumn is for everyone).
    runtime.dynamoMeter!.reset();
    const mailsBefore = (await listMail(info.endpoints.ses)).length;
    const holidayStarted = Date.now();
    await planCare(HOLIDAY_DATE, care);
    await waitForIdle(info.controlUrl, 30 * 60_000);
    const holidaySeconds = (Date.now() - holidayStarted) / 1000;
    const holidayMeter = runtime.dynamoMeter!.reading();
    const mails = (await listMail(info.endpoints.ses)).length - mailsBefore;

    // Birthdays: only the members born on that month-day are read.
    const due = events.filter(
      (e) => (e.detail as { birthDate: string }).birthDate.slice(5) === BIRTHDAY_DATE.slice(5),
    ).length;
    runtime.dynamoMeter!.reset();
    await planCare(BIRTHDAY_DATE, care);
    await waitForIdle(info.controlUrl, 10 * 60_000);
    const birthdayMeter = runtime.dynamoMeter!.reading();

    const rate = MEMBERS / holidaySeconds;
    const requestsPerMember = holidayMeter.totalRequests / MEMBERS;
    const careRequests = ['Query', 'GetItem', 'BatchGetItem', 'TransactWriteItems']
      .map((op) => holidayMeter.requests[op] ?? 0)
      .reduce((a, b) => a + b, 0);
    const itemsPerDue = birthdayMeter.itemsRead / due;
    const ok = mails === MEMBERS && careRequests / MEMBERS <= 2 && itemsPerDue <= 1.2;
    const body = [
      `${MEMBERS} members in 20 branches, loaded through the enrolment use case in ${loadSeconds.toFixed(0)} s (initial import: no welcome mails). Then the planner for ${HOLIDAY_DATE} (mid-autumn's dispatch date), fanned out per branch over the care queue, and a birthday run for ${BIRTHDAY_DATE}. CareGranted mails at a configured SES rate of ${SES_RATE}/s.`,
      '',
      '| figure | value | target |',
      '|---|---:|---:|',
      `| holiday: mails sent (one per member) | ${mails} | ${MEMBERS} |`,
      `| holiday: end to end (s), plan to drained | ${holidaySeconds.toFixed(1)} | |`,
      `| **holiday: members per second** | **${rate.toFixed(0)}** | |`,
      `| holiday: DynamoDB requests per member, care path (Query, GetItem, BatchGetItem, TransactWriteItems) | ${(careRequests / MEMBERS).toFixed(3)} | ≤ 2 |`,
      `| holiday: DynamoDB requests per member, everything (incl. the mail ledger's claim and record) | ${requestsPerMember.toFixed(3)} | |`,
      `| birthday: members due on ${BIRTHDAY_DATE} | ${due} | |`,
      `| **birthday: items read per due member** | **${itemsPerDue.toFixed(3)}** | ≤ 1.2 |`,
      '',
      `Holiday requests by operation: ${Object.entries(holidayMeter.requests)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}.`,
    ].join('\n');
    return { title: `Care: a holiday and a birthday run over ${MEMBERS} members`, body, ok };
  } finally {
    await runtime.stop();
  }
};
