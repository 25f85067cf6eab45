/**
 * `gonghui dlq list` and `gonghui dlq redrive`: what rests in the dead-letter queues, and moving
 * it back to the source queues once the cause is fixed.
 */
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type QueueKey, queues } from '../../topology.ts';
import { CliError, loadRuntimeInfo, localClientConfig, type RuntimeInfo } from '../runtime-info.ts';

export interface DlqMessage {
  queue: QueueKey;
  messageId: string;
  receiveCount: number;
  sentAt: string;
  body: unknown;
}

const sqsFor = (info: RuntimeInfo) => new SQSClient(localClientConfig(info, info.endpoints.sqs));

/**
 * Receives every message once, hiding each for a few seconds so that the next receive returns
 * the others; they come back by themselves. (Making them visible again at once would need
 * ChangeMessageVisibility, which fauxqs 2.4 fails on for messages it moved to a DLQ.)
 */
const PEEK_VISIBILITY_SECONDS = 3;
const peekAll = async (sqs: SQSClient, queueUrl: string): Promise<Message[]> => {
  const seen = new Map<string, Message>();
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const fresh = (out.Messages ?? []).filter((m) => !seen.has(m.MessageId!));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.set(m.MessageId!, m);
  }
  return [...seen.values()];
};

const parseBody = (body: string | undefined): unknown => {
  try {
    return JSON.parse(body ?? '');
  } catch {
    return body;
  }
};

const selectQueues = (queue?: string): QueueKey[] => {
  const all = Object.keys(queues) as QueueKey[];
  if (!queue) return all;
  const key = all.find((k) => k === queue || queues[k].name === queue);
  if (!key)
    throw new CliError(`unknown queue ${queue}; queues: ${all.map((k) => queues[k].name).join(', ')}`);
  return [key];
};

export const listDlq = async (
  opts: { queue?: string } = {},
  info = loadRuntimeInfo(),
): Promise<DlqMessage[]> => {
  const sqs = sqsFor(info);
  const result: DlqMessage[] = [];
  for (const key of selectQueues(opts.queue)) {
    for (const m of await peekAll(sqs, info.queues[key].dlqUrl)) {
      result.push({
        queue: key,
        messageId: m.MessageId!,
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
        sentAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)).toISOString(),
        body: parseBody(m.Body),
      });
    }
  }
  return result;
};

/** Moves messages back: send to the source queue first, then delete from the DLQ (never lose one). */
export const redriveDlq = async (opts: { queue?: string } = {}, info = loadRuntimeInfo()) => {
  const sqs = sqsFor(info);
  const moved: Record<string, number> = {};
  for (const key of selectQueues(opts.queue)) {
    const { url, dlqUrl } = info.queues[key];
    let count = 0;
    for (;;) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 60,
          WaitTimeSeconds: 0,
        }),
      );
      const messages = out.Messages ?? [];
      if (messages.length === 0) break;
      for (const m of messages) {
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: m.Body ?? '' }));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle! }));
        count++;
      }
    }
    moved[key] = count;
  }
  return moved;
};
