/**
 * The Lambda DynamoDB-stream event source mapping, locally: reads every shard of the table's
 * stream from a checkpoint kept in `<data>/streams.json` (so a restart neither replays nor
 * skips), applies the trigger's filter criteria, and invokes the function in order with a real
 * DynamoDBStreamEvent. Reported `batchItemFailures` resume from the first failed record; an
 * invocation that keeps failing is retried `retryAttempts` times, then described on the
 * on-failure queue and passed, as Lambda does.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesPattern } from './event-pattern.ts';

export interface StreamPollerOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  region: string;
  batchSize: number;
  retryAttempts: number;
  filter: Record<string, unknown>;
  checkpointFile: string;
  onFailure: { sqs: SQSClient; queueUrl: string };
  invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
  log?: (line: string) => void;
}

type Checkpoints = Record<string, { sequence?: string; done?: boolean }>;

export const toLambdaRecord = (r: _Record, streamArn: string, region: string): DynamoDBRecord => ({
  eventID: r.eventID,
  eventName: r.eventName as DynamoDBRecord['eventName'],
  eventVersion: r.eventVersion ?? '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: region,
  eventSourceARN: streamArn,
  dynamodb: {
    ...(r.dynamodb?.Keys ? { Keys: r.dynamodb.Keys as never } : {}),
    ...(r.dynamodb?.NewImage ? { NewImage: r.dynamodb.NewImage as never } : {}),
    ...(r.dynamodb?.OldImage ? { OldImage: r.dynamodb.OldImage as never } : {}),
    SequenceNumber: r.dynamodb?.SequenceNumber,
    SizeBytes: r.dynamodb?.SizeBytes,
    StreamViewType: r.dynamodb?.StreamViewType as never,
    ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
      ? Math.floor(new Date(r.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
      : Math.floor(Date.now() / 1000),
  },
});

export class StreamPoller {
  private running = true;
  private busy = 0;
  private lastPollHadRecords = false;
  private lastPollAt = 0;
  private readonly checkpoints: Checkpoints;
  private readonly loopDone: Promise<void>;

  constructor(private readonly o: StreamPollerOptions) {
    this.checkpoints = existsSync(o.checkpointFile)
      ? (JSON.parse(readFileSync(o.checkpointFile, 'utf8')) as Checkpoints)
      : {};
    this.loopDone = this.loop();
  }

  status() {
    return {
      idle: this.busy === 0 && !this.lastPollHadRecords && this.lastPollAt > 0,
      lastPollAt: new Date(this.lastPollAt).toISOString(),
    };
  }

  inflight(): number {
    return this.busy;
  }

  private save() {
    writeFileSync(this.o.checkpointFile, JSON.stringify(this.checkpoints));
  }

  private async iterator(shardId: string): Promise<string | undefined> {
    const sequence = this.checkpoints[shardId]?.sequence;
    try {
      const out = await this.o.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.o.streamArn,
          ShardId: shardId,
          ShardIteratorType: sequence ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          ...(sequence ? { SequenceNumber: sequence } : {}),
        }),
      );
      return out.ShardIterator;
    } catch (error) {
      if (!sequence) throw error;
      // The checkpoint fell out of the stream's retention: start from what is there.
      this.o.log?.(`stream checkpoint lost for ${shardId}: ${(error as Error).message}`);
      delete this.checkpoints[shardId];
      return this.iterator(shardId);
    }
  }

  private async shards(): Promise<string[]> {
    const ids: string[] = [];
    let start: string | undefined;
    do {
      const out = await this.o.streams.send(
        new DescribeStreamCommand({ StreamArn: this.o.streamArn, ExclusiveStartShardId: start }),
      );
      for (const s of out.StreamDescription?.Shards ?? []) if (s.ShardId) ids.push(s.ShardId);
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return ids;
  }

  private async loop(): Promise<void> {
    const iterators = new Map<string, string | undefined>();
    let lastDescribe = 0;
    while (this.running) {
      try {
        if (Date.now() - lastDescribe > 2_000) {
          lastDescribe = Date.now();
          for (const id of await this.shards()) {
            if (!iterators.has(id) && !this.checkpoints[id]?.done) iterators.set(id, await this.iterator(id));
          }
        }
        let any = false;
        for (const [shardId, it] of iterators) {
          if (!it || !this.running) continue;
          const out = await this.o.streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
          const records = out.Records ?? [];
          if (records.length) any = true;
          await this.handle(shardId, records);
          if (out.NextShardIterator) {
            iterators.set(shardId, out.NextShardIterator);
          } else {
            // The shard is closed and read to its end.
            this.checkpoints[shardId] = { ...this.checkpoints[shardId], done: true };
            this.save();
            iterators.delete(shardId);
          }
        }
        this.lastPollHadRecords = any;
        this.lastPollAt = Date.now();
        if (!any) await new Promise((r) => setTimeout(r, 150));
      } catch (error) {
        if (!this.running) return;
        this.o.log?.(`stream poll failed: ${(error as Error).message}`);
        iterators.clear();
        lastDescribe = 0;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Invokes for the records in batches, checkpointing after each. */
  private async handle(shardId: string, records: _Record[]): Promise<void> {
    for (let i = 0; i < records.length; i += this.o.batchSize) {
      const chunk = records.slice(i, i + this.o.batchSize);
      const matching = chunk
        .map((r) => toLambdaRecord(r, this.o.streamArn, this.o.region))
        .filter((r) => matchesPattern(this.o.filter, r));
      if (matching.length) await this.invokeWithRetries(shardId, matching);
      this.checkpoints[shardId] = { sequence: chunk.at(-1)?.dynamodb?.SequenceNumber };
      this.save();
    }
  }

  /**
   * Invokes until the batch succeeds. Reported failures retry from the first failed record (the
   * records before it are done); after `retryAttempts` the rest is described on the on-failure
   * queue and passed. The records are in memory, so a retry needs no new read of the shard.
   */
  private async invokeWithRetries(shardId: string, batch: DynamoDBRecord[]): Promise<void> {
    this.busy++;
    let remaining = batch;
    try {
      for (let attempt = 0; remaining.length > 0; attempt++) {
        let error: string | undefined;
        try {
          const result = (await this.o.invoke({ Records: remaining })) as
            | { batchItemFailures?: Array<{ itemIdentifier: string }> }
            | undefined;
          const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
          if (!failed) return;
          const index = remaining.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
          remaining = index < 0 ? remaining : remaining.slice(index);
          error = `record ${failed} reported as failed`;
        } catch (e) {
          error = (e as Error).message;
        }
        if (attempt >= this.o.retryAttempts) {
          await this.o.onFailure.sqs.send(
            new SendMessageCommand({
              QueueUrl: this.o.onFailure.queueUrl,
              MessageBody: JSON.stringify({
                requestContext: {
                  condition: 'RetryAttemptsExhausted',
                  functionError: error,
                  approximateInvokeCount: attempt + 1,
                },
                DDBStreamBatchInfo: {
                  shardId,
                  startSequenceNumber: remaining[0]?.dynamodb?.SequenceNumber,
                  endSequenceNumber: remaining.at(-1)?.dynamodb?.SequenceNumber,
                  batchSize: remaining.length,
                  streamArn: this.o.streamArn,
                },
                timestamp: new Date().toISOString(),
              }),
            }),
          );
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** attempt)));
      }
    } finally {
      this.busy--;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loopDone;
  }
}
