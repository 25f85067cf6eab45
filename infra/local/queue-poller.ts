/**
 * The Lambda SQS event source mapping, locally: up to `maxConcurrency` pollers per queue
 * trigger receive batches, invoke the function with a real SQSEvent, and delete what succeeded
 * (every message, or all but the reported `batchItemFailures`). A failed invocation deletes
 * nothing: the messages come back after the visibility timeout, and fauxqs moves them to the DLQ
 * after maxReceiveCount, as SQS does.
 */
import { createHash } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

export interface QueuePollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  batchSize: number;
  maxConcurrency: number;
  visibilityTimeoutSeconds: number;
  invoke: (event: SQSEvent) => Promise<unknown>;
  log?: (line: string) => void;
}

export const toSqsRecord = (m: Message, queueArn: string, region: string): SQSRecord => ({
  messageId: m.MessageId!,
  receiptHandle: m.ReceiptHandle!,
  body: m.Body ?? '',
  attributes: {
    ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: m.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
      k,
      {
        dataType: v.DataType ?? 'String',
        stringValue: v.StringValue,
        binaryValue: undefined,
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  ),
  md5OfBody:
    m.MD5OfBody ??
    createHash('md5')
      .update(m.Body ?? '')
      .digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

export class QueuePoller {
  private running = true;
  private inflightBatches = 0;
  private readonly loops: Promise<void>[] = [];
  private readonly abort = new AbortController();

  constructor(private readonly o: QueuePollerOptions) {
    for (let i = 0; i < o.maxConcurrency; i++) this.loops.push(this.loop());
  }

  inflight(): number {
    return this.inflightBatches;
  }

  private async receive(max: number): Promise<Message[]> {
    const out = await this.o.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.o.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: 1,
        VisibilityTimeout: this.o.visibilityTimeoutSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return out.Messages ?? [];
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let messages: Message[];
      try {
        messages = await this.receive(this.o.batchSize);
        // Batches larger than ten gather what is there already, as the mapping does without a window.
        while (messages.length > 0 && messages.length < this.o.batchSize && this.running) {
          const more = await this.o.sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: this.o.queueUrl,
              MaxNumberOfMessages: Math.min(10, this.o.batchSize - messages.length),
              WaitTimeSeconds: 0,
              VisibilityTimeout: this.o.visibilityTimeoutSeconds,
              MessageSystemAttributeNames: ['All'],
              MessageAttributeNames: ['All'],
            }),
          );
          if (!more.Messages?.length) break;
          messages.push(...more.Messages);
        }
      } catch (error) {
        if (!this.running) return;
        this.o.log?.(`receive failed on ${this.o.queueUrl}: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (messages.length === 0) continue;
      this.inflightBatches++;
      try {
        let done: Message[] = [];
        try {
          const result = (await this.o.invoke({
            Records: messages.map((m) => toSqsRecord(m, this.o.queueArn, this.o.region)),
          })) as { batchItemFailures?: Array<{ itemIdentifier: string }> } | undefined;
          const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
          done = messages.filter((m) => !failed.has(m.MessageId!));
        } catch (error) {
          this.o.log?.(`invocation failed for ${this.o.queueUrl}: ${(error as Error).message}`);
        }
        for (let i = 0; i < done.length; i += 10) {
          await this.o.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: this.o.queueUrl,
              Entries: done
                .slice(i, i + 10)
                .map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } finally {
        this.inflightBatches--;
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }
}
