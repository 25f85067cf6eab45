/**
 * Mail pacing: 2,000 mails through the real send-email function on the embedded runtime, with
 * the SES maximum send rate set to 50/s. Reports the achieved rate, the busiest sliding
 * one-second window and duplicates, from the mail ledger's send times and the SES emulator.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { MEMBERS_SOURCE } from '../../events/members.ts';
import { listMail } from '../../infra/cli/commands/mail.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { startRuntime } from '../../infra/local/runtime.ts';
import { newId } from '../../shared/domain/ids.ts';
import { shanghaiDate } from '../../shared/domain/time.ts';
import { perUnit, startUsage } from './usage.ts';

const MAILS = 2000;
const RATE = 50;

export const benchMailPacing = async (dataDir: string) => {
  // Metered: the mail ledger's requests per mail at a paced rate feed the cost model.
  const runtime = await startRuntime({ dataDir, port: 0, sesMaxSendRate: RATE, meterDynamo: true });
  try {
    const info = runtime.info;
    const bus = new EventBridgeClient(localClientConfig(info, info.endpoints.eventbridge));
    const usage = await startUsage(runtime);
    const run = randomUUID().slice(0, 8);
    const events = Array.from({ length: MAILS }, (_, i) => ({
      eventId: newId(),
      occurredAt: new Date().toISOString(),
      version: 1,
      memberId: `bench-${run}-${i}`,
      employeeId: `B${run}${i}`,
      membershipNumber: `GLU-2026-${String(i + 1).padStart(6, '0')}`,
      name: `测试${i}`,
      email: `bench-${run}-${i}@example.edu.cn`,
      status: 'active',
      branch: { code: 'B1', name: '第一分工会' },
      branchAssignedByDefault: false,
      womenFederation: i % 2 === 0,
      joinedOn: '2026-09-01',
      origin: 'hr',
    }));
    const started = Date.now();
    for (let i = 0; i < events.length; i += 10) {
      await bus.send(
        new PutEventsCommand({
          Entries: events.slice(i, i + 10).map((detail) => ({
            EventBusName: info.busName,
            Source: MEMBERS_SOURCE,
            DetailType: 'MemberEnrolled',
            Detail: JSON.stringify(detail),
          })),
        }),
      );
    }
    await waitForIdle(info.controlUrl, 10 * 60_000);
    const elapsed = (Date.now() - started) / 1000;
    const work = await usage.read();

    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)),
    );
    const sentAt: number[] = [];
    let key: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({
          TableName: info.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': `MAILDAY#${shanghaiDate(new Date())}` },
          ExclusiveStartKey: key,
        }),
      );
      for (const item of out.Items ?? [])
        if (String(item.to).includes(`-${run}-`)) sentAt.push(Date.parse(item.sendStartedAt));
      key = out.LastEvaluatedKey;
    } while (key);
    sentAt.sort((a, b) => a - b);

    const inbox = (await listMail(info)).filter((m) => m.to.some((t) => t.includes(`-${run}-`)));
    const distinct = new Set(inbox.map((m) => m.to.join(','))).size;
    let busiest = 0;
    for (let i = 0, j = 0; i < sentAt.length; i++) {
      while (sentAt[j]! < sentAt[i]! - 999) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    const span = (sentAt.at(-1)! - sentAt[0]!) / 1000;
    const achieved = (sentAt.length - 1) / span;
    const ok = inbox.length === MAILS && distinct === MAILS && achieved >= 0.95 * RATE && busiest <= RATE;
    const body = [
      `${MAILS} MemberEnrolled events put on the local bus; send-email (2 instances, each limited to rate/2 sends in any sliding window of 1.01 s, at least 70% of the even interval apart) sends through the SES emulator. Send times: when each SES request started, from the mail ledger (ms).`,
      '',
      '| figure | value | target |',
      '|---|---:|---:|',
      `| mails in the SES emulator | ${inbox.length} | ${MAILS} |`,
      `| distinct recipients (duplicates = ${inbox.length - distinct}) | ${distinct} | ${MAILS} |`,
      `| achieved rate, first to last send (mails/s) | ${achieved.toFixed(2)} | ≥ ${(0.95 * RATE).toFixed(1)} (95% of ${RATE}) |`,
      `| busiest sliding one-second window | ${busiest} | ≤ ${RATE} |`,
      `| wall time, first PutEvents to drained (s) | ${elapsed.toFixed(1)} | |`,
    ].join('\n');
    return {
      title: `Mail pacing: ${MAILS} mails at ${RATE}/s`,
      body,
      ok,
      figures: {
        mails: MAILS,
        rate: RATE,
        achievedRate: achieved,
        /** Per mail sent at a paced rate: send-email, its mail ledger, the SES call (the event was put on the bus by the bench). */
        perMail: perUnit(work, inbox.length),
      },
    };
  } finally {
    await runtime.stop();
  }
};
