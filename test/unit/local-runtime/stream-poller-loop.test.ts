/**
 * The stream event source mapping's loop, against an in-memory stream (shards, iterators,
 * GetRecords pages): order, filter, checkpoints across a restart, partial failures, bisection,
 * retries and the on-failure destination, and parent shards before their children.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { _Record, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_PARTITION } from '../../../infra/local/local-env.ts';
import { openCheckpoints } from '../../../infra/local/stream-checkpoints.ts';
import {
  type StreamFailureRecord,
  type StreamPoller,
  startStreamPoller,
} from '../../../infra/local/stream-poller.ts';

const STREAM = `arn:${LOCAL_PARTITION}:dynamodb:ddblocal:000000000000:table/gonghui/stream/label`;

interface FakeShard {
  id: string;
  parent?: string;
  records: _Record[];
  closed: boolean;
}

/** Just enough of DynamoDB Streams: DescribeStream, GetShardIterator, GetRecords (pages of `limit`). */
class FakeStream {
  shards: FakeShard[] = [];
  private seq = 0;
  constructor(private readonly pageSize = 1000) {}

  add(shardId: string, entity: string, key = `K${this.seq + 1}`) {
    const shard = this.shards.find((s) => s.id === shardId)!;
    const sequenceNumber = String(++this.seq).padStart(21, '0');
    shard.records.push({
      eventID: `e${this.seq}`,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        ApproximateCreationDateTime: new Date('2026-11-24T00:00:00Z'),
        Keys: { PK: { S: key } },
        NewImage: { PK: { S: key }, entity: { S: entity } },
        SequenceNumber: sequenceNumber,
        SizeBytes: 10,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    return sequenceNumber;
  }

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
    const input = command.input;
    switch (command.constructor.name) {
      case 'DescribeStreamCommand':
        return {
          StreamDescription: {
            Shards: this.shards.map((s) => ({
              ShardId: s.id,
              ...(s.parent ? { ParentShardId: s.parent } : {}),
            })),
          },
        };
      case 'GetShardIteratorCommand': {
        const shard = this.shards.find((s) => s.id === input.ShardId)!;
        const position =
          input.ShardIteratorType === 'TRIM_HORIZON'
            ? 0
            : shard.records.findIndex((r) => r.dynamodb?.SequenceNumber === input.SequenceNumber) + 1;
        return { ShardIterator: `${shard.id}|${position}` };
      }
      case 'GetRecordsCommand': {
        const [id, at] = String(input.ShardIterator).split('|');
        const shard = this.shards.find((s) => s.id === id)!;
        const from = Number(at);
        const page = shard.records.slice(from, from + this.pageSize);
        const next = from + page.length;
        const ended = shard.closed && next >= shard.records.length;
        return { Records: page, ...(ended ? {} : { NextShardIterator: `${id}|${next}` }) };
      }
      default:
        throw new Error(`unexpected ${command.constructor.name}`);
    }
  }
}

let dir: string;
let pollers: StreamPoller[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gonghui-stream-'));
});
afterEach(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  pollers = [];
  rmSync(dir, { recursive: true, force: true });
});

const start = (
  stream: FakeStream,
  invoke: (event: DynamoDBStreamEvent) => Promise<unknown>,
  extra: { batchSize?: number; retryAttempts?: number; failures?: StreamFailureRecord[] } = {},
) => {
  const poller = startStreamPoller({
    streams: stream as unknown as DynamoDBStreamsClient,
    streamArn: STREAM,
    region: 'ap-east-1',
    functionArn: `arn:${LOCAL_PARTITION}:lambda:ap-east-1:000000000000:function:publish-outbox`,
    batchSize: extra.batchSize ?? 100,
    retryAttempts: extra.retryAttempts ?? 2,
    filter: { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['OutboxEvent'] } } } },
    checkpoints: openCheckpoints(join(dir, 'streams.json'), 'publish-outbox', STREAM),
    invoke,
    onFailure: async (failure) => {
      extra.failures?.push(failure);
    },
    idleDelayMs: 5,
    describeEveryMs: 0,
    retryDelayMs: () => 1,
  });
  pollers.push(poller);
  return poller;
};

const keysOf = (event: DynamoDBStreamEvent) => event.Records.map((r) => r.dynamodb?.Keys?.PK?.S);

describe('the stream poller', () => {
  it('delivers matching records in order, in batches, and resumes after a restart without replaying', async () => {
    // Prepare
    const stream = new FakeStream();
    stream.shards.push({ id: 'shard-1', records: [], closed: false });
    for (let i = 0; i < 5; i++) stream.add('shard-1', i === 2 ? 'Member' : 'OutboxEvent');
    const batches: Array<Array<string | undefined>> = [];
    // Act
    const first = start(stream, async (event) => void batches.push(keysOf(event)), { batchSize: 2 });
    await first.settled();
    await first.settled();
    await first.stop();
    stream.add('shard-1', 'OutboxEvent');
    const second = start(stream, async (event) => void batches.push(keysOf(event)), { batchSize: 2 });
    await second.settled();
    await second.settled();
    // Assess
    expect(batches).toEqual([['K1', 'K2'], ['K4', 'K5'], ['K6']]);
    expect(second.status()).toMatchObject({ idle: true, inflight: 0, delivered: 1, skipped: 0 });
  });

  it('retries from the first record reported as failed, having checkpointed the ones before it', async () => {
    const stream = new FakeStream();
    stream.shards.push({ id: 'shard-1', records: [], closed: false });
    const seqs = [1, 2, 3, 4].map(() => stream.add('shard-1', 'OutboxEvent'));
    const batches: Array<Array<string | undefined>> = [];
    let failedOnce = false;
    const poller = start(stream, async (event) => {
      batches.push(keysOf(event));
      if (!failedOnce) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: seqs[2] }] };
      }
      return { batchItemFailures: [] };
    });
    await poller.settled();
    await poller.settled();
    expect(batches).toEqual([
      ['K1', 'K2', 'K3', 'K4'],
      ['K3', 'K4'],
    ]);
  });

  it('bisects a failing batch, retries the poison record, describes it on the on-failure queue and moves on', async () => {
    const stream = new FakeStream();
    stream.shards.push({ id: 'shard-1', records: [], closed: false });
    for (let i = 1; i <= 4; i++) stream.add('shard-1', 'OutboxEvent', i === 3 ? 'POISON' : `K${i}`);
    const delivered: string[] = [];
    let poisonCalls = 0;
    const failures: StreamFailureRecord[] = [];
    const poller = start(
      stream,
      async (event) => {
        const keys = keysOf(event) as string[];
        if (keys.includes('POISON')) {
          if (keys.length === 1) poisonCalls++;
          throw new Error('cannot publish');
        }
        delivered.push(...keys);
      },
      { retryAttempts: 2, failures },
    );
    await poller.settled();
    await poller.settled();
    expect(delivered).toEqual(['K1', 'K2', 'K4']);
    expect(poisonCalls).toBe(3); // the first call and two retries
    expect(failures).toHaveLength(1);
    expect(failures[0]?.DDBStreamBatchInfo).toMatchObject({
      shardId: 'shard-1',
      startSequenceNumber: '000000000000000000003',
      endSequenceNumber: '000000000000000000003',
      batchSize: 1,
      streamArn: `arn:${LOCAL_PARTITION}:dynamodb:ap-east-1:000000000000:table/gonghui/stream/label`,
    });
    expect(failures[0]?.responseContext.functionError).toBe('Unhandled');
    expect(poller.status()).toMatchObject({ idle: true, failedBatches: 1 });
  });

  it('reads a child shard only after its parent is read to its end', async () => {
    const stream = new FakeStream(1);
    stream.shards.push({ id: 'parent', records: [], closed: true });
    stream.shards.push({ id: 'child', parent: 'parent', records: [], closed: false });
    stream.add('parent', 'OutboxEvent', 'P1');
    stream.add('parent', 'OutboxEvent', 'P2');
    stream.add('child', 'OutboxEvent', 'C1');
    const delivered: Array<string | undefined> = [];
    const poller = start(stream, async (event) => void delivered.push(...keysOf(event)));
    for (let i = 0; i < 6; i++) await poller.settled();
    expect(delivered).toEqual(['P1', 'P2', 'C1']);
  });
});
