/**
 * Lambda's SQS event source mapping for one `queue` trigger: up to `maxConcurrency` pollers
 * receive batches (long polling: fauxqs answers as soon as a message arrives), invoke the
 * function with the SQSEvent Lambda builds, and delete what succeeded. With
 * ReportBatchItemFailures (the AWS stack turns it on for every queue trigger) a response's
 * `batchItemFailures` keep exactly those messages; an invocation that fails or times out deletes
 * nothing. Kept messages come back after the queue's visibility timeout, and fauxqs moves a
 * message to the DLQ on the receive after maxReceiveCount, as SQS does (checked against fauxqs
 * 2.4: the (maxReceiveCount + 1)th receive moves it instead of returning it).
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttribute, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { sleep } from './ports.ts';

export interface QueueTriggerSettings {
  batchSize: number;
  maxBatchingWindowSeconds: number;
  maxConcurrency: number;
}

export interface QueuePollerOptions extends QueueTriggerSettings {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  invoke: (event: SQSEvent) => Promise<unknown>;
  /** How long a receive waits for a message (long polling); stop() waits at most this long for it. */
  waitTimeSeconds?: number;
  log?: (line: string) => void;
}

export interface QueuePollerStats {
  /** Invocations under way. */
  inflight: number;
  received: number;
  deleted: number;
  invocations: number;
  failedInvocations: number;
}

export interface QueuePoller {
  stats(): QueuePollerStats;
  inflight(): number;
  /** Stops receiving and resolves when every poller's invocation under way has settled. */
  stop(): Promise<void>;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A message attribute as Lambda passes it: camel-cased, binary as base64, lists always present. */
const toLambdaAttribute = (value: MessageAttributeValue): SQSMessageAttribute => ({
  ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
  ...(value.BinaryValue !== undefined ? { binaryValue: base64(value.BinaryValue) } : {}),
  stringListValues: value.StringListValues ?? [],
  binaryListValues: (value.BinaryListValues ?? []).map(base64),
  dataType: (value.DataType ?? 'String') as SQSMessageAttribute['dataType'],
});

/** One received message as a record of Lambda's SQSEvent. */
export const toSqsRecord = (message: Message, queueArn: string, region: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  // Every system attribute SQS returned (ReceiveCount, SentTimestamp, SenderId, FirstReceive, …).
  attributes: { ...message.Attributes } as unknown as SQSRecordAttributes,
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, toLambdaAttribute(value)]),
  ),
  md5OfBody: message.MD5OfBody ?? '',
  ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

export const toSqsEvent = (messages: readonly Message[], queueArn: string, region: string): SQSEvent => ({
  Records: messages.map((m) => toSqsRecord(m, queueArn, region)),
});

export type BatchOutcome =
  | { kind: 'success' }
  | { kind: 'partial'; failedIds: ReadonlySet<string> }
  | { kind: 'failure'; reason: string };

/**
 * What Lambda makes of a response under ReportBatchItemFailures (the SQS developer guide, "Reporting
 * batch item failures"): no response, no `batchItemFailures` or an empty list is a complete
 * success; an item without a usable `itemIdentifier`, or one naming no message of the batch,
 * makes the whole batch a failure; otherwise the named messages failed.
 */
export const settleSqsBatch = (messageIds: readonly string[], response: unknown): BatchOutcome => {
  if (response === null || typeof response !== 'object' || Array.isArray(response))
    return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  const known = new Set(messageIds);
  const failedIds = new Set<string>();
  for (const item of failures) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '')
      return { kind: 'failure', reason: 'an itemIdentifier is missing or empty' };
    if (!known.has(id))
      return { kind: 'failure', reason: `itemIdentifier ${id} is not a message of the batch` };
    failedIds.add(id);
  }
  return { kind: 'partial', failedIds };
};

/** The messages to delete after an invocation's outcome. */
export const messagesToDelete = (messages: readonly Message[], outcome: BatchOutcome): Message[] => {
  if (outcome.kind === 'failure') return [];
  if (outcome.kind === 'success') return [...messages];
  return messages.filter((m) => !outcome.failedIds.has(m.MessageId ?? ''));
};

const SQS_MAX_RECEIVE = 10;

export function startQueuePoller(opts: QueuePollerOptions): QueuePoller {
  const { sqs, queueUrl, queueArn, region, log } = opts;
  const waitTimeSeconds = opts.waitTimeSeconds ?? 1;
  const stats: QueuePollerStats = {
    inflight: 0,
    received: 0,
    deleted: 0,
    invocations: 0,
    failedInvocations: 0,
  };
  let running = true;
  const queueName = queueUrl.split('/').pop();

  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(SQS_MAX_RECEIVE, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return out.Messages ?? [];
  };

  /**
   * One batch: a long-polling receive, then more receives (not waiting, or until the batching
   * window closes) until the batch is full or the queue has no more. The bus puts events on a
   * queue one by one, so a long poll often wakes for the first of several: filling the batch
   * from what is already there makes fewer, fuller invocations of a burst.
   */
  const gather = async (): Promise<Message[]> => {
    const batch = await receive(opts.batchSize, waitTimeSeconds);
    if (batch.length === 0) return batch;
    const windowEnds = Date.now() + opts.maxBatchingWindowSeconds * 1000;
    while (running && batch.length < opts.batchSize) {
      const left = windowEnds - Date.now();
      const more = await receive(
        opts.batchSize - batch.length,
        left > 0 ? Math.min(20, Math.ceil(left / 1000)) : 0,
      );
      batch.push(...more);
      if (more.length === 0 && left <= 0) break;
    }
    return batch;
  };

  const remove = async (messages: Message[]) => {
    for (let i = 0; i < messages.length; i += SQS_MAX_RECEIVE) {
      const chunk = messages.slice(i, i + SQS_MAX_RECEIVE);
      const out = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      stats.deleted += out.Successful?.length ?? 0;
      for (const failed of out.Failed ?? []) {
        // Typically a receipt handle that expired while the function ran past the visibility timeout.
        log?.(`${queueName}: could not delete a message (${failed.Code}: ${failed.Message})`);
      }
    }
  };

  const handle = async (messages: Message[]) => {
    stats.inflight++;
    stats.invocations++;
    try {
      let outcome: BatchOutcome;
      try {
        const response = await opts.invoke(toSqsEvent(messages, queueArn, region));
        outcome = settleSqsBatch(
          messages.map((m) => m.MessageId ?? ''),
          response,
        );
      } catch (error) {
        outcome = { kind: 'failure', reason: (error as Error).message };
      }
      if (outcome.kind === 'failure') {
        stats.failedInvocations++;
        log?.(
          `${queueName}: batch of ${messages.length} failed (${outcome.reason}); it returns after the visibility timeout`,
        );
      }
      await remove(messagesToDelete(messages, outcome));
    } finally {
      stats.inflight--;
    }
  };

  const poll = async () => {
    while (running) {
      let messages: Message[];
      try {
        messages = await gather();
      } catch (error) {
        if (!running) return;
        log?.(`${queueName}: receive failed: ${(error as Error).message}`);
        await sleep(500);
        continue;
      }
      if (messages.length === 0) continue;
      stats.received += messages.length;
      try {
        await handle(messages);
      } catch (error) {
        log?.(`${queueName}: ${(error as Error).message}`);
      }
    }
  };

  const pollers = Array.from({ length: opts.maxConcurrency }, poll);
  return {
    stats: () => ({ ...stats }),
    inflight: () => stats.inflight,
    stop: async () => {
      running = false;
      await Promise.allSettled(pollers);
    },
  };
}
