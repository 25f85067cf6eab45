/**
 * The table and the queues the topology describes, created (or brought up to date) at every
 * start through the real SDK clients. Idempotent: a data directory from an earlier topology gets
 * the indexes, the stream and the TTL it lacks, and each queue gets its current attributes.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { APP_NAME, dlqName, type QueueKey, type QueueSpec, queues, type table } from '../topology.ts';
import { sleep } from './ports.ts';
import { liveQueueUrl } from './sqs.ts';

export type TableSpec = typeof table;

export interface QueueInfo {
  name: string;
  url: string;
  arn: string;
  dlqName: string;
  dlqUrl: string;
  dlqArn: string;
}

/** The physical name of a queue, here and in runtime.json: `gonghui-<name>`. */
export const physicalQueueName = (name: string): string => `${APP_NAME}-${name}`;

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' as const },
  { AttributeName: sortKey, KeyType: 'RANGE' as const },
];

const stringAttributes = (names: string[]) =>
  [...new Set(names)].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));

const describe = async (ddb: DynamoDBClient, name: string): Promise<TableDescription | undefined> => {
  try {
    return (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

/** Waits for the table and its indexes to be ACTIVE (DynamoDB Local is quick, never instant for new indexes). */
const waitActive = async (ddb: DynamoDBClient, name: string): Promise<TableDescription> => {
  for (let i = 0; i < 600; i++) {
    const t = await describe(ddb, name);
    if (
      t?.TableStatus === 'ACTIVE' &&
      (t.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
    ) {
      return t;
    }
    await sleep(100);
  }
  throw new Error(`table ${name} did not become ACTIVE`);
};

/** Creates the table, or adds what an existing one lacks; resolves with its stream ARN. */
export async function ensureTable(ddb: DynamoDBClient, spec: TableSpec): Promise<string> {
  let current = await describe(ddb, spec.name);
  if (!current) {
    await ddb.send(
      new CreateTableCommand({
        TableName: spec.name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: stringAttributes([
          spec.partitionKey,
          spec.sortKey,
          ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
        ]),
        KeySchema: keySchema(spec.partitionKey, spec.sortKey),
        GlobalSecondaryIndexes: spec.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: keySchema(i.partitionKey, i.sortKey),
          Projection: { ProjectionType: 'ALL' },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream },
      }),
    );
  } else {
    // One index per UpdateTable, as DynamoDB requires.
    const existing = new Set((current.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of spec.indexes.filter((i) => !existing.has(i.name))) {
      await ddb.send(
        new UpdateTableCommand({
          TableName: spec.name,
          AttributeDefinitions: stringAttributes([index.partitionKey, index.sortKey]),
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: index.name,
                KeySchema: keySchema(index.partitionKey, index.sortKey),
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      );
      await waitActive(ddb, spec.name);
    }
    const stream = current.StreamSpecification;
    if (!stream?.StreamEnabled || stream.StreamViewType !== spec.stream) {
      if (stream?.StreamEnabled) {
        await ddb.send(
          new UpdateTableCommand({ TableName: spec.name, StreamSpecification: { StreamEnabled: false } }),
        );
      }
      await ddb.send(
        new UpdateTableCommand({
          TableName: spec.name,
          StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream },
        }),
      );
    }
  }
  current = await waitActive(ddb, spec.name);

  const ttl = (await ddb.send(new DescribeTimeToLiveCommand({ TableName: spec.name }))).TimeToLiveDescription;
  if (ttl?.TimeToLiveStatus !== 'ENABLED' || ttl.AttributeName !== spec.ttlAttribute) {
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: spec.name,
        TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
      }),
    );
  }
  if (!current.LatestStreamArn) throw new Error(`table ${spec.name} has no stream`);
  return current.LatestStreamArn;
}

/** The attributes a queue gets (and gets again at every start: CreateQueue refuses changed ones). */
export const queueAttributes = (
  spec: QueueSpec,
  dlqArn: string,
  visibilityTimeoutSeconds = spec.visibilityTimeoutSeconds,
): Record<string, string> => ({
  VisibilityTimeout: String(visibilityTimeoutSeconds),
  MessageRetentionPeriod: String(spec.retentionDays * 86_400),
  RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: spec.maxReceiveCount }),
});

/** A DLQ keeps its messages as long as SQS allows (14 days), like the AWS stack's. */
const DLQ_ATTRIBUTES = { MessageRetentionPeriod: String(14 * 86_400) };

const createQueue = async (sqs: SQSClient, endpoint: string, name: string) => {
  // No attributes here: CreateQueue fails on an existing queue whose attributes differ.
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const url = liveQueueUrl(endpoint, created.QueueUrl!);
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
    .Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${name} has no ARN`);
  return { url, arn };
};

/**
 * Every queue `gonghui-<name>` with its DLQ `gonghui-<name>-dlq`. `visibilityTimeoutSeconds`
 * overrides every queue's (tests: a poison message reaches its DLQ within seconds), and
 * `visibilityTimeouts` single queues' on top of it.
 */
export async function ensureQueues(
  sqs: SQSClient,
  endpoint: string,
  opts: { visibilityTimeoutSeconds?: number; visibilityTimeouts?: Partial<Record<QueueKey, number>> } = {},
): Promise<Record<QueueKey, QueueInfo>> {
  const entries = await Promise.all(
    (Object.keys(queues) as QueueKey[]).map(async (key) => {
      const spec: QueueSpec = queues[key];
      const name = physicalQueueName(spec.name);
      const deadName = physicalQueueName(dlqName(spec));
      const dlq = await createQueue(sqs, endpoint, deadName);
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq.url, Attributes: DLQ_ATTRIBUTES }));
      const queue = await createQueue(sqs, endpoint, name);
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: queueAttributes(
            spec,
            dlq.arn,
            opts.visibilityTimeouts?.[key] ?? opts.visibilityTimeoutSeconds,
          ),
        }),
      );
      const info: QueueInfo = {
        name,
        url: queue.url,
        arn: queue.arn,
        dlqName: deadName,
        dlqUrl: dlq.url,
        dlqArn: dlq.arn,
      };
      return [key, info] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<QueueKey, QueueInfo>;
}
