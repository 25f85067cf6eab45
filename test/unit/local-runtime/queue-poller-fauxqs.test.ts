/**
 * The SQS event source mapping against fauxqs (in process, no Java): what is deleted after a
 * success, a partial failure and a thrown error, and the DLQ after maxReceiveCount.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QueuePoller, startQueuePoller } from '../../../infra/local/queue-poller.ts';
import { ensureQueues, type QueueInfo } from '../../../infra/local/resources.ts';
import { type SqsLocal, startSqsLocal } from '../../../infra/local/sqs.ts';
import { queues } from '../../../infra/topology.ts';

let dir: string;
let emulator: SqsLocal;
let sqs: SQSClient;
let info: Record<keyof typeof queues, QueueInfo>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gonghui-poller-'));
  emulator = await startSqsLocal({ dataDir: dir, region: 'ap-east-1' });
  sqs = new SQSClient({
    endpoint: emulator.endpoint,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  info = await ensureQueues(sqs, emulator.endpoint, { visibilityTimeoutSeconds: 1 });
});

afterAll(async () => {
  sqs.destroy();
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

const counts = async (url: string) => {
  const a =
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes ?? {};
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
};

const until = async (check: () => Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

const send = (queue: QueueInfo, bodies: string[]) =>
  sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
    }),
  );

const poll = (queue: QueueInfo, invoke: (event: SQSEvent) => Promise<unknown>): QueuePoller =>
  startQueuePoller({
    sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    region: 'ap-east-1',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 2,
    invoke,
  });

describe('the queue poller on fauxqs', () => {
  it('deletes all but the reported failures, which reach the DLQ after maxReceiveCount', async () => {
    // Prepare
    const queue = info.hr;
    const attempts = new Map<string, number>();
    const poller = poll(queue, async (event) => {
      for (const r of event.Records) attempts.set(r.body, (attempts.get(r.body) ?? 0) + 1);
      return {
        batchItemFailures: event.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({
          itemIdentifier: r.messageId,
        })),
      };
    });
    try {
      // Act
      await send(queue, ['good-1', 'bad-1', 'good-2']);
      await until(async () => (await counts(queue.dlqUrl)) === 1 && (await counts(queue.url)) === 0);
      // Assess
      expect(attempts.get('good-1')).toBe(1);
      expect(attempts.get('good-2')).toBe(1);
      expect(attempts.get('bad-1')).toBe(queues.hr.maxReceiveCount);
      expect(poller.stats()).toMatchObject({ inflight: 0, received: 2 + queues.hr.maxReceiveCount });
    } finally {
      await poller.stop();
    }
  });

  it('deletes nothing when the invocation throws: the batch comes back after the visibility timeout', async () => {
    const queue = info.outboxFailures;
    const seen: string[][] = [];
    const poller = poll(queue, async (event) => {
      seen.push(event.Records.map((r) => r.body).sort());
      throw new Error('boom');
    });
    try {
      await send(queue, ['a', 'b']);
      await until(async () => seen.flat().length >= 4);
    } finally {
      await poller.stop();
    }
    const received = (body: string) => seen.flat().filter((b) => b === body).length;
    expect(received('a')).toBeGreaterThanOrEqual(2);
    expect(received('b')).toBeGreaterThanOrEqual(2);
    expect((await counts(queue.url)) + (await counts(queue.dlqUrl))).toBe(2);
    expect(poller.stats().failedInvocations).toBe(seen.length);
  });
});
