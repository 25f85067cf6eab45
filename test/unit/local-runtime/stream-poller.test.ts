/** The DynamoDB stream event source mapping's pure parts: records, filter, batches, failures, shards. */
import type { _Record, Shard } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LOCAL_PARTITION } from '../../../infra/local/local-env.ts';
import {
  describeFailedBatch,
  eventSourceArn,
  planBatches,
  readableShards,
  settleStreamBatch,
  toLambdaStreamRecord,
} from '../../../infra/local/stream-poller.ts';
import { functions } from '../../../infra/topology.ts';

const LOCAL_ARN = `arn:${LOCAL_PARTITION}:dynamodb:ddblocal:000000000000:table/gonghui/stream/2026-11-23T22:54:58.448`;
const ARN = `arn:${LOCAL_PARTITION}:dynamodb:ap-east-1:000000000000:table/gonghui/stream/2026-11-23T22:54:58.448`;
const outboxFilter = functions['publish-outbox'].triggers[0].filter;

const sdkRecord = (
  seq: number,
  entity = 'OutboxEvent',
  eventName: 'INSERT' | 'MODIFY' = 'INSERT',
): _Record => ({
  eventID: `e${seq}`,
  eventName,
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ddblocal',
  dynamodb: {
    ApproximateCreationDateTime: new Date('2026-11-23T22:54:00.000Z'),
    Keys: { PK: { S: `OUTBOX#${seq}` }, SK: { S: 'EVENT' } },
    NewImage: { PK: { S: `OUTBOX#${seq}` }, SK: { S: 'EVENT' }, entity: { S: entity } },
    SequenceNumber: String(seq).padStart(21, '0'),
    SizeBytes: 40,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

const records = (specs: Array<[number, string?, ('INSERT' | 'MODIFY')?]>): DynamoDBRecord[] =>
  specs.map(([seq, entity, name]) => toLambdaStreamRecord(sdkRecord(seq, entity, name), ARN, 'ap-east-1'));

const seq = (n: number) => String(n).padStart(21, '0');

describe('a stream record as Lambda delivers it', () => {
  it('has epoch seconds, the runtime region and the stream ARN in its region', () => {
    const record = toLambdaStreamRecord(sdkRecord(1), eventSourceArn(LOCAL_ARN, 'ap-east-1'), 'ap-east-1');
    expect(record).toEqual({
      eventID: 'e1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ap-east-1',
      dynamodb: {
        ApproximateCreationDateTime: Date.parse('2026-11-23T22:54:00.000Z') / 1000,
        Keys: { PK: { S: 'OUTBOX#1' }, SK: { S: 'EVENT' } },
        NewImage: { PK: { S: 'OUTBOX#1' }, SK: { S: 'EVENT' }, entity: { S: 'OutboxEvent' } },
        SequenceNumber: seq(1),
        SizeBytes: 40,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: ARN,
    });
  });

  it('carries binary attributes in base64, at any depth', () => {
    const raw = sdkRecord(2);
    raw.dynamodb!.NewImage = {
      b: { B: new Uint8Array([1, 2, 3]) },
      bs: { BS: [new Uint8Array([4])] },
      l: { L: [{ B: new Uint8Array([5]) }, { N: '7' }] },
      m: { M: { inner: { B: new Uint8Array([6]) }, flag: { BOOL: true }, none: { NULL: true } } },
    };
    const image = toLambdaStreamRecord(raw, ARN, 'ap-east-1').dynamodb?.NewImage;
    expect(image).toEqual({
      b: { B: 'AQID' },
      bs: { BS: ['BA=='] },
      l: { L: [{ B: 'BQ==' }, { N: '7' }] },
      m: { M: { inner: { B: 'Bg==' }, flag: { BOOL: true }, none: { NULL: true } } },
    });
  });
});

describe('batches under the filter', () => {
  it('delivers only what matches, in batches of batchSize, checkpointing past skipped records', () => {
    // Prepare: 1, 2 outbox; 3 a member; 4, 5 outbox; 6 a member; a MODIFY of an outbox item (7)
    const page = records([[1], [2], [3, 'Member'], [4], [5], [6, 'Member'], [7, 'OutboxEvent', 'MODIFY']]);
    // Act
    const plan = planBatches(page, outboxFilter, 3);
    // Assess
    expect(plan.skipped).toBe(3);
    expect(plan.batches.map((b) => b.records.map((r) => Number(r.dynamodb?.SequenceNumber)))).toEqual([
      [1, 2, 4],
      [5],
    ]);
    expect(plan.batches.map((b) => b.checkpointAfter)).toEqual([seq(4), seq(7)]);
  });

  it('has no batch, only a checkpoint, when nothing matches', () => {
    const plan = planBatches(
      records([
        [1, 'Member'],
        [2, 'Member'],
      ]),
      outboxFilter,
      100,
    );
    expect(plan).toEqual({ batches: [], lastSequenceNumber: seq(2), skipped: 2 });
  });
});

describe('a stream response under ReportBatchItemFailures', () => {
  const batch = records([[1], [2], [3]]);

  it('resumes at the lowest reported sequence number', () => {
    const response = { batchItemFailures: [{ itemIdentifier: seq(3) }, { itemIdentifier: seq(2) }] };
    expect(settleStreamBatch(batch, response)).toEqual({ kind: 'partial', from: 1 });
  });

  it.each([undefined, {}, { batchItemFailures: [] }])('is a success for %j', (response) => {
    expect(settleStreamBatch(batch, response)).toEqual({ kind: 'success' });
  });

  it('fails the whole batch for an identifier that is not in it', () => {
    expect(settleStreamBatch(batch, { batchItemFailures: [{ itemIdentifier: seq(9) }] }).kind).toBe(
      'failure',
    );
  });
});

describe("the on-failure destination's record", () => {
  it('names the shard, the sequence range and the arrival times, as Lambda does', () => {
    const failure = describeFailedBatch({
      records: records([[4], [5]]),
      shardId: 'shardId-1',
      streamArn: ARN,
      functionArn: `arn:${LOCAL_PARTITION}:lambda:ap-east-1:000000000000:function:publish-outbox`,
      invokeCount: 11,
      functionError: 'Unhandled',
      now: new Date('2026-11-24T00:00:00Z'),
    });
    expect(failure).toMatchObject({
      requestContext: {
        functionArn: `arn:${LOCAL_PARTITION}:lambda:ap-east-1:000000000000:function:publish-outbox`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 11,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-11-24T00:00:00.000Z',
      DDBStreamBatchInfo: {
        shardId: 'shardId-1',
        startSequenceNumber: seq(4),
        endSequenceNumber: seq(5),
        approximateArrivalOfFirstRecord: '2026-11-23T22:54:00.000Z',
        approximateArrivalOfLastRecord: '2026-11-23T22:54:00.000Z',
        batchSize: 2,
        streamArn: ARN,
      },
    });
  });
});

describe('shard lineage', () => {
  const shards: Shard[] = [
    { ShardId: 'parent' },
    { ShardId: 'child', ParentShardId: 'parent' },
    { ShardId: 'orphan', ParentShardId: 'trimmed-long-ago' },
  ];

  it('reads a child only once its parent is finished', () => {
    const ids = (finished: string[]) =>
      readableShards(shards, (id) => finished.includes(id)).map((s) => s.ShardId);
    expect(ids([])).toEqual(['parent', 'orphan']);
    expect(ids(['parent'])).toEqual(['child', 'orphan']);
  });
});
