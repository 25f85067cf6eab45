/**
 * `gonghui dlq list` and `gonghui dlq redrive`: what rests in the dead-letter queues, and moving
 * it back to the source queues once the cause is fixed. A message its consumer refused for
 * failing its contract carries why (`reason`: field paths and messages) and who (`consumer`) as
 * message attributes (shared/adapters/dead-letters.ts); one that SQS moved after maxReceiveCount
 * failed receives (throttling that never ended, a bug) carries neither: its consumer's log says.
 * The stream's on-failure queue (outbox-failures) has no consumer: its own messages are listed too.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '../../../shared/adapters/dead-letters.ts';
import { deadLetterOnlyQueues, dlqName, type QueueKey, queues } from '../../topology.ts';
import { CliError, loadRuntimeInfo, localClientConfig, type RuntimeInfo } from '../runtime-info.ts';

export interface DlqMessage {
  /** The queue whose dead letter it is. */
  queue: QueueKey;
  /** Where it rests: the queue's DLQ (`hr-dlq`), or an on-failure queue itself (`outbox-failures`). */
  in: string;
  /** The function that refused it, and why; null when SQS moved it after maxReceiveCount receives. */
  consumer: string | null;
  reason: string | null;
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
        MessageAttributeNames: ['All'],
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
  const deadLetterOnly = new Set(deadLetterOnlyQueues());
  for (const key of selectQueues(opts.queue)) {
    const places = [
      ...(deadLetterOnly.has(key) ? [{ in: queues[key].name, url: info.queues[key].url }] : []),
      { in: dlqName(queues[key]), url: info.queues[key].dlqUrl },
    ];
    for (const place of places) {
      for (const m of await peekAll(sqs, place.url)) {
        result.push({
          queue: key,
          in: place.in,
          consumer: m.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.consumer]?.StringValue ?? null,
          reason: m.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? null,
          messageId: m.MessageId!,
          receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
          sentAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)).toISOString(),
          body: parseBody(m.Body),
        });
      }
    }
  }
  return result;
};

/**
 * Moves messages back: send to the source queue first, then delete from the DLQ (never lose one).
 * Only what rested there when the redrive began: a message still malformed is dead-lettered
 * again by its consumer at once, as a new message, and must not be moved round and round.
 */
export const redriveDlq = async (opts: { queue?: string } = {}, info = loadRuntimeInfo()) => {
  const sqs = sqsFor(info);
  const began = Date.now();
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
          MessageSystemAttributeNames: ['SentTimestamp'],
        }),
      );
      const messages = out.Messages ?? [];
      const earlier = messages.filter((m) => Number(m.Attributes?.SentTimestamp ?? 0) < began);
      // Dead-lettered since the redrive began: left where they are, visible again at once.
      for (const m of messages.filter((x) => !earlier.includes(x))) {
        await sqs
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: dlqUrl,
              ReceiptHandle: m.ReceiptHandle!,
              VisibilityTimeout: 0,
            }),
          )
          .catch(() => {});
      }
      if (earlier.length === 0) break;
      for (const m of earlier) {
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: m.Body ?? '' }));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle! }));
        count++;
      }
    }
    moved[key] = count;
  }
  return moved;
};
