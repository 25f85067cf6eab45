/**
 * The embedded runtime itself, end to end, on a runtime of its own (not the shared one of
 * global-setup): resources from the topology, the bus → queue → function → DLQ path through the
 * real SDK clients, the gateway's own answers, runtime.json, and data that survives a restart.
 * It depends on no handler's behaviour: the poison messages fail whether a handler reports them
 * or throws.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, type RuntimeStatus, startRuntime } from '../../infra/local/runtime.ts';
import { queues, table } from '../../infra/topology.ts';

// Longer than the hr mapping’s 1 s batching window: a message must not come back while its batch is still filling.
const VISIBILITY_SECONDS = 2;

let dataDir: string;
let runtime: Runtime;

const config = (endpoint: string) => ({
  endpoint,
  region: runtime.info.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const sqs = () => new SQSClient(config(runtime.info.endpoints.sqs));
const ddb = () => new DynamoDBClient(config(runtime.info.endpoints.dynamodb));

const start = () =>
  startRuntime({ dataDir, port: 0, sesMaxSendRate: 100, visibilityTimeoutSeconds: VISIBILITY_SECONDS });

/** Polls (bounded) until `find` returns something. */
const eventually = async <T>(find: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not found within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** Takes the DLQ message whose body satisfies `match` (receives, and puts back what is not it). */
const fromDlq = (dlqUrl: string, match: (body: string) => boolean) =>
  eventually(async () => {
    const out = await sqs().send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const found = out.Messages?.find((m) => match(m.Body ?? ''));
    if (found)
      await sqs().send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: found.ReceiptHandle }));
    return found;
  });

const waitIdle = () =>
  eventually(async () => {
    const status = (await (await fetch(`${runtime.info.controlUrl}/status`)).json()) as RuntimeStatus;
    return status.idle ? status : undefined;
  });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gonghui-smoke-'));
  runtime = await start();
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded runtime', () => {
  it('writes runtime.json with every address the CLI needs', () => {
    const written = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(runtime.info)));
    expect(written).toMatchObject({ pid: process.pid, region: 'ap-east-1', tableName: table.name });
    for (const url of [
      written.apiUrl,
      written.controlUrl,
      written.inboxUrl,
      ...Object.values(written.endpoints),
    ]) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    }
  });

  it('creates the table from the topology: keys, indexes, stream and TTL', async () => {
    const t = (await ddb().send(new DescribeTableCommand({ TableName: table.name }))).Table!;
    expect(t.KeySchema?.map((k) => k.AttributeName)).toEqual([table.partitionKey, table.sortKey]);
    expect(t.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      table.indexes.map((i) => i.name),
    );
    expect(t.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: table.stream });
    const ttl = await ddb().send(new DescribeTimeToLiveCommand({ TableName: table.name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: table.ttlAttribute,
    });
  });

  it('creates every queue with its DLQ and redrive policy', async () => {
    for (const [key, spec] of Object.entries(queues)) {
      const info = runtime.info.queues[key as keyof typeof queues];
      expect(info.name).toBe(`gonghui-${spec.name}`);
      const attributes = (
        await sqs().send(new GetQueueAttributesCommand({ QueueUrl: info.url, AttributeNames: ['All'] }))
      ).Attributes!;
      expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({
        deadLetterTargetArn: info.dlqArn,
        maxReceiveCount: spec.maxReceiveCount,
      });
      expect(attributes.VisibilityTimeout).toBe(String(VISIBILITY_SECONDS));
      expect(attributes.MessageRetentionPeriod).toBe(String(spec.retentionDays * 86_400));
    }
  });

  it('puts a poison message in its DLQ on the first receive, with the reason and the consumer', async () => {
    const body = `not json ${randomUUID()}`;
    await sqs().send(new SendMessageCommand({ QueueUrl: runtime.info.queues.hr.url, MessageBody: body }));
    const dead = await fromDlq(runtime.info.queues.hr.dlqUrl, (b) => b === body);
    expect(dead.MessageAttributes).toEqual({
      reason: { DataType: 'String', StringValue: '(message): not JSON' },
      consumer: { DataType: 'String', StringValue: 'enrol-member' },
    });
    // Received once from the hr queue: the consumer sent it on, SQS's redrive did not have to.
    expect((await runtime.status()).invocations['enrol-member'].invoked).toBeLessThan(
      queues.hr.maxReceiveCount,
    );
  });

  it('delivers PutEvents through its rule to the queue it names, as the full EventBridge event', async () => {
    const marker = randomUUID();
    const bus = new EventBridgeClient(config(runtime.info.endpoints.eventbridge));
    const out = await bus.send(
      new PutEventsCommand({
        Entries: [
          // Matches HrEventsToHrQueue; no valid HR event, so it ends in the hr DLQ.
          {
            EventBusName: 'gonghui',
            Source: 'university.hr',
            DetailType: 'SmokeTest',
            Detail: JSON.stringify({ marker }),
          },
          // Matches no rule: accepted, delivered nowhere.
          { EventBusName: 'gonghui', Source: 'smoke.nowhere', DetailType: 'SmokeTest', Detail: '{}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    const dead = await fromDlq(runtime.info.queues.hr.dlqUrl, (b) => b.includes(marker));
    expect(JSON.parse(dead.Body!)).toMatchObject({
      version: '0',
      id: out.Entries?.[0]?.EventId,
      source: 'university.hr',
      'detail-type': 'SmokeTest',
      account: runtime.info.accountId,
      region: runtime.info.region,
      detail: { marker },
    });
    const status = await waitIdle();
    expect(status.bus.published).toBeGreaterThanOrEqual(2);
  });

  it("answers as API Gateway does: 404 for an unknown route, 401 without a token, the issuer's keys", async () => {
    const api = runtime.info.apiUrl;
    expect((await fetch(`${api}/no/such/route`)).status).toBe(404);
    const unauthorized = await fetch(`${api}/members/me`);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ message: 'Unauthorized' });
    const jwks = await fetch(`${api}/.well-known/jwks.json`);
    expect(((await jwks.json()) as { keys: unknown[] }).keys).toHaveLength(1);
    expect(
      (await fetch(`${runtime.info.controlUrl}/schedules/NoSuchSchedule/fire`, { method: 'POST' })).status,
    ).toBe(404);
  });

  it('keeps data across a restart, and removes runtime.json when stopped', async () => {
    const key = { PK: { S: `SMOKE#${randomUUID()}` }, SK: { S: 'ITEM' } };
    await ddb().send(new PutItemCommand({ TableName: table.name, Item: { ...key, note: { S: '留存' } } }));
    const ses = new SESClient(config(runtime.info.endpoints.ses!));
    const subject = `smoke ${randomUUID()}`;
    await ses.send(
      new SendEmailCommand({
        Source: 'union@gonghui.local',
        Destination: { ToAddresses: ['someone@example.edu.cn'] },
        Message: { Subject: { Data: subject }, Body: { Text: { Data: '你好' } } },
      }),
    );

    await runtime.stop();
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
    runtime = await start();

    const item = await ddb().send(
      new GetItemCommand({ TableName: table.name, Key: key, ConsistentRead: true }),
    );
    expect(item.Item?.note).toEqual({ S: '留存' });
    const store = (await (await fetch(`${runtime.info.endpoints.ses}/store`)).json()) as {
      emails: Array<{ subject: string }>;
    };
    expect(store.emails.map((e) => e.subject)).toContain(subject);
  });
});
