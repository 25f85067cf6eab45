/**
 * Lambda's DynamoDB Streams event source mapping for one `stream` trigger, with the settings the
 * AWS stack gives it: start at TRIM_HORIZON, filter criteria, batches of at most `batchSize`,
 * ReportBatchItemFailures, BisectBatchOnFunctionError, `retryAttempts`, and an on-failure
 * destination (a queue).
 *
 * - Shards: DescribeStream (paginated) every 10 s, and at once when a shard ends; a child
 *   shard is read only when its parent is finished, so records of one key stay in order.
 * - Position: a checkpoint per shard in `<dataDir>/streams.json`, written after every batch;
 *   a restart resumes AFTER_SEQUENCE_NUMBER (TRIM_HORIZON for a shard never read).
 * - Filter: records that do not match are skipped and checkpointed past, never delivered.
 * - Failures: `batchItemFailures` (itemIdentifier = SequenceNumber) checkpoint before the
 *   first failed record and retry from it; a thrown error bisects the batch (the halves are
 *   retried on their own, which costs no retry), then retries with backoff; after
 *   `retryAttempts` retries the batch is described on the on-failure queue (Lambda's record:
 *   shard, first and last sequence numbers, approximate arrival times) and passed.
 * - Pace: no sleep while GetRecords returns records; 250 ms between idle rounds (Lambda polls a
 *   shard four times a second; faster polling costs DynamoDB Local ~13% of a core at rest), cut
 *   short by settled(), so `gonghui wait` never waits for it.
 */
import { randomUUID } from 'node:crypto';
import {
  type _Record,
  type AttributeValue,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent, AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import { matchesPattern } from './event-pattern.ts';
import type { MappingCheckpointStore } from './stream-checkpoints.ts';

export interface StreamTriggerSettings {
  batchSize: number;
  retryAttempts: number;
  filter: Record<string, unknown>;
}

/** Lambda's on-failure destination record for a DynamoDB stream batch. */
export interface StreamFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface StreamPollerOptions extends StreamTriggerSettings {
  streams: DynamoDBStreamsClient;
  /** The stream as DynamoDB Local names it (reads and checkpoints use it). */
  streamArn: string;
  region: string;
  functionArn: string;
  invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
  onFailure: (failure: StreamFailureRecord) => Promise<void>;
  checkpoints: MappingCheckpointStore;
  bisectOnError?: boolean;
  idleDelayMs?: number;
  describeEveryMs?: number;
  /** Delay before retry `n` (1-based); default 100 ms doubling up to 2 s. */
  retryDelayMs?: (retry: number) => number;
  log?: (line: string) => void;
}

export interface StreamPollerStatus {
  /** No invocation under way, and the last round found no new record in any shard. */
  idle: boolean;
  lastPollAt: string | null;
  inflight: number;
  shards: number;
  delivered: number;
  skipped: number;
  failedBatches: number;
}

export interface StreamPoller {
  status(): StreamPollerStatus;
  /** Resolves when a polling round that began after this call has completed (what was written before it has been seen). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The event Lambda builds.

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The SDK's attribute value as the stream's JSON carries it (and Lambda passes it): binaries in base64. */
export const toLambdaAttributeValue = (value: AttributeValue): LambdaAttributeValue => {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  const { $unknown: _unknown, ...plain } = value as AttributeValue & { $unknown?: unknown };
  return plain as LambdaAttributeValue;
};

const toLambdaImage = (image: Record<string, AttributeValue>): Record<string, LambdaAttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toLambdaAttributeValue(v)]));

/** DynamoDB Local names its region `ddblocal` in ARNs; the event carries the runtime's region, as on AWS. */
export const eventSourceArn = (streamArn: string, region: string): string =>
  streamArn.replace(/^arn:([\w-]+):dynamodb:ddblocal:/, `arn:$1:dynamodb:${region}:`);

export const toLambdaStreamRecord = (record: _Record, sourceArn: string, region: string): DynamoDBRecord => {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      // Epoch seconds, as in the event Lambda delivers (the SDK parsed it into a Date).
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      ...(d.Keys ? { Keys: toLambdaImage(d.Keys) } : {}),
      ...(d.NewImage ? { NewImage: toLambdaImage(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: toLambdaImage(d.OldImage) } : {}),
      ...(d.SequenceNumber !== undefined ? { SequenceNumber: d.SequenceNumber } : {}),
      ...(d.SizeBytes !== undefined ? { SizeBytes: d.SizeBytes } : {}),
      ...(d.StreamViewType ? { StreamViewType: d.StreamViewType } : {}),
    },
    eventSourceARN: sourceArn,
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
  };
};

// ---------------------------------------------------------------------------------------------
// Batches, filter and failures: pure.

export interface PlannedBatch {
  records: DynamoDBRecord[];
  /** Where the checkpoint goes once the batch is done: its last record, or past trailing skipped ones. */
  checkpointAfter: string;
}

/**
 * Filters a GetRecords page and cuts what matches into batches of at most `batchSize`. Records
 * the filter drops are covered by the checkpoint of the batch after them (or of the last batch).
 */
export const planBatches = (
  records: readonly DynamoDBRecord[],
  filter: Record<string, unknown>,
  batchSize: number,
): { batches: PlannedBatch[]; lastSequenceNumber?: string; skipped: number } => {
  const matching = records.filter((r) => matchesPattern(filter, r));
  const lastSequenceNumber = records.at(-1)?.dynamodb?.SequenceNumber;
  const batches: PlannedBatch[] = [];
  for (let i = 0; i < matching.length; i += batchSize) {
    const slice = matching.slice(i, i + batchSize);
    const last = i + batchSize >= matching.length;
    batches.push({
      records: slice,
      checkpointAfter: (last ? lastSequenceNumber : slice.at(-1)?.dynamodb?.SequenceNumber) ?? '',
    });
  }
  return {
    batches,
    ...(lastSequenceNumber ? { lastSequenceNumber } : {}),
    skipped: records.length - matching.length,
  };
};

export type StreamBatchOutcome =
  | { kind: 'success' }
  | { kind: 'partial'; from: number }
  | { kind: 'failure'; reason: string };

/**
 * Lambda's reading of a response under ReportBatchItemFailures for streams: like SQS, but items
 * name sequence numbers, and processing resumes at the lowest one reported.
 */
export const settleStreamBatch = (
  records: readonly DynamoDBRecord[],
  response: unknown,
): StreamBatchOutcome => {
  if (response === null || typeof response !== 'object' || Array.isArray(response))
    return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  let from = Number.POSITIVE_INFINITY;
  for (const item of failures) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '')
      return { kind: 'failure', reason: 'an itemIdentifier is missing or empty' };
    const index = records.findIndex((r) => r.dynamodb?.SequenceNumber === id);
    if (index < 0) return { kind: 'failure', reason: `itemIdentifier ${id} is not a record of the batch` };
    from = Math.min(from, index);
  }
  return { kind: 'partial', from };
};

const arrival = (record: DynamoDBRecord | undefined): string => {
  const seconds = record?.dynamodb?.ApproximateCreationDateTime;
  return new Date(seconds === undefined ? Date.now() : seconds * 1000).toISOString();
};

export const describeFailedBatch = (input: {
  records: readonly DynamoDBRecord[];
  shardId: string;
  streamArn: string;
  functionArn: string;
  invokeCount: number;
  functionError?: string;
  now?: Date;
}): StreamFailureRecord => {
  const { records } = input;
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: input.functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: input.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(input.functionError ? { functionError: input.functionError } : {}),
    },
    version: '1.0',
    timestamp: (input.now ?? new Date()).toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: records[0]?.dynamodb?.SequenceNumber ?? '',
      endSequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber ?? '',
      approximateArrivalOfFirstRecord: arrival(records[0]),
      approximateArrivalOfLastRecord: arrival(records.at(-1)),
      batchSize: records.length,
      streamArn: input.streamArn,
    },
  };
};

/** Shards that may be read now: not finished, and their parent (if the stream still has it) finished. */
export const readableShards = (
  shards: readonly Shard[],
  isFinished: (shardId: string) => boolean,
): Shard[] => {
  const known = new Set(shards.map((s) => s.ShardId));
  return shards.filter(
    (s) =>
      s.ShardId !== undefined &&
      !isFinished(s.ShardId) &&
      (!s.ParentShardId || !known.has(s.ParentShardId) || isFinished(s.ParentShardId)),
  );
};

// ---------------------------------------------------------------------------------------------
// The poller.

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';

export function startStreamPoller(opts: StreamPollerOptions): StreamPoller {
  const { streams, streamArn, checkpoints, log } = opts;
  const sourceArn = eventSourceArn(streamArn, opts.region);
  const idleDelayMs = opts.idleDelayMs ?? 250;
  const describeEveryMs = opts.describeEveryMs ?? 10_000;
  const retryDelayMs = opts.retryDelayMs ?? ((n: number) => Math.min(2_000, 100 * 2 ** (n - 1)));
  const bisect = opts.bisectOnError ?? true;

  let running = true;
  let inflight = 0;
  let lastRoundHadRecords = false;
  let lastPollAt: Date | null = null;
  let roundsStarted = 0;
  let roundsCompleted = 0;
  let shards: Shard[] = [];
  let describedAt = 0;
  const iterators = new Map<string, string>();
  const counters = { delivered: 0, skipped: 0, failedBatches: 0 };
  const roundWaiters = new Set<{ after: number; resolve: () => void }>();
  /** Every pause under way, so stop() can end them. */
  const sleepers = new Set<() => void>();
  /** The idle pause between rounds, which settled() cuts short (a retry's backoff it must not). */
  let wakeIdle: (() => void) | undefined;

  const pause = (ms: number, idle = false) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        sleepers.delete(done);
        if (wakeIdle === done) wakeIdle = undefined;
        resolve();
      }
      sleepers.add(done);
      if (idle) wakeIdle = done;
    });

  let lastLogged = '';
  const logOnce = (line: string) => {
    // A failing emulator repeats the same error every round; say it once.
    if (line !== lastLogged) log?.(line);
    lastLogged = line;
  };

  const describeShards = async () => {
    const all: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      all.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    shards = all;
    describedAt = Date.now();
    checkpoints.retain(new Set(all.flatMap((s) => (s.ShardId ? [s.ShardId] : []))));
  };

  const iteratorFor = async (shardId: string): Promise<string | undefined> => {
    const after = checkpoints.get(shardId)?.sequenceNumber;
    try {
      const out = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      return out.ShardIterator;
    } catch (error) {
      if (after && ['TrimmedDataAccessException', 'ValidationException'].includes(errorName(error))) {
        // The checkpoint is older than the stream's 24 h: read what the stream still has.
        log?.(`stream: shard ${shardId} no longer has record ${after}; reading from its trim horizon`);
        checkpoints.forget(shardId);
        return iteratorFor(shardId);
      }
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  };

  /** Invokes until the batch is done or passed to the on-failure destination; false when stopped first. */
  const deliver = async (shardId: string, batch: DynamoDBRecord[]): Promise<boolean> => {
    const work: Array<{ records: DynamoDBRecord[]; retries: number }> = [{ records: batch, retries: 0 }];
    while (work.length > 0) {
      const item = work.shift()!;
      let invokes = 0;
      for (;;) {
        if (!running) return false;
        let outcome: StreamBatchOutcome;
        let functionError: string | undefined;
        inflight++;
        invokes++;
        try {
          outcome = settleStreamBatch(item.records, await opts.invoke({ Records: item.records }));
        } catch (error) {
          functionError = 'Unhandled';
          outcome = { kind: 'failure', reason: (error as Error).message };
        } finally {
          inflight--;
        }
        if (outcome.kind === 'success') {
          counters.delivered += item.records.length;
          break;
        }
        if (outcome.kind === 'partial') {
          counters.delivered += outcome.from;
          const done = item.records[outcome.from - 1]?.dynamodb?.SequenceNumber;
          if (done) checkpoints.advance(shardId, done);
          item.records = item.records.slice(outcome.from);
        } else if (functionError && bisect && item.records.length > 1) {
          const half = Math.ceil(item.records.length / 2);
          work.unshift({ records: item.records.slice(half), retries: item.retries });
          item.records = item.records.slice(0, half);
          continue;
        }
        item.retries++;
        const reason = outcome.kind === 'failure' ? outcome.reason : 'records reported as failed';
        if (item.retries > opts.retryAttempts) {
          counters.failedBatches++;
          log?.(
            `stream: ${item.records.length} record(s) of shard ${shardId} failed ${invokes} time(s) (${reason}); described on the on-failure queue`,
          );
          await opts.onFailure(
            describeFailedBatch({
              records: item.records,
              shardId,
              streamArn: sourceArn,
              functionArn: opts.functionArn,
              invokeCount: invokes,
              ...(functionError ? { functionError } : {}),
            }),
          );
          break;
        }
        await pause(retryDelayMs(item.retries));
      }
    }
    return true;
  };

  /** Reads one page of a shard and processes it; true when the page had records. */
  const pollShard = async (shard: Shard): Promise<boolean> => {
    const shardId = shard.ShardId!;
    let iterator = iterators.get(shardId) ?? (await iteratorFor(shardId));
    if (!iterator) return false;
    let page: GetRecordsCommandOutput;
    try {
      page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      if (errorName(error) !== 'ExpiredIteratorException') throw error;
      iterator = await iteratorFor(shardId);
      if (!iterator) return false;
      page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    }
    const records = (page.Records ?? []).map((r) => toLambdaStreamRecord(r, sourceArn, opts.region));
    if (records.length > 0) {
      const plan = planBatches(records, opts.filter, opts.batchSize);
      counters.skipped += plan.skipped;
      for (const batch of plan.batches) {
        if (!(await deliver(shardId, batch.records))) return true;
        checkpoints.advance(shardId, batch.checkpointAfter);
      }
      if (plan.batches.length === 0 && plan.lastSequenceNumber)
        checkpoints.advance(shardId, plan.lastSequenceNumber);
    }
    if (page.NextShardIterator) {
      iterators.set(shardId, page.NextShardIterator);
    } else {
      // Closed and read to its end: its children may start.
      iterators.delete(shardId);
      checkpoints.finish(shardId);
      describedAt = 0;
    }
    return records.length > 0;
  };

  const loop = async () => {
    while (running) {
      roundsStarted++;
      let hadRecords = false;
      try {
        if (Date.now() - describedAt >= describeEveryMs) await describeShards();
        const finished = (id: string) => checkpoints.get(id)?.finished === true;
        for (const shard of readableShards(shards, finished)) {
          if (!running) break;
          if (await pollShard(shard)) hadRecords = true;
        }
        lastLogged = '';
      } catch (error) {
        if (!running) break;
        logOnce(`stream: polling failed: ${(error as Error).message}`);
        iterators.clear();
        describedAt = 0;
        hadRecords = true; // not known to be drained
        await pause(500);
      }
      lastRoundHadRecords = hadRecords;
      lastPollAt = new Date();
      roundsCompleted++;
      for (const waiter of roundWaiters) {
        if (roundsCompleted > waiter.after) {
          roundWaiters.delete(waiter);
          waiter.resolve();
        }
      }
      if (!hadRecords && running && roundWaiters.size === 0) await pause(idleDelayMs, true);
    }
    for (const waiter of roundWaiters) waiter.resolve();
    roundWaiters.clear();
  };

  const looping = loop();

  return {
    status: () => ({
      idle: inflight === 0 && !lastRoundHadRecords && roundsCompleted > 0,
      lastPollAt: lastPollAt?.toISOString() ?? null,
      inflight,
      shards: shards.length,
      ...counters,
    }),
    settled: () =>
      running
        ? new Promise<void>((resolve) => {
            roundWaiters.add({ after: roundsStarted, resolve });
            wakeIdle?.();
          })
        : Promise.resolve(),
    stop: async () => {
      running = false;
      for (const wake of [...sleepers]) wake();
      await looping;
    },
  };
}
