/**
 * `gonghui dlq list` and `gonghui dlq redrive`: what rests in the dead-letter queues, and moving
 * it back to the source queues once the cause is fixed. A message its consumer refused for
 * failing its contract carries why (`reason`: field paths and messages) and who (`consumer`) as
 * message attributes (shared/adapters/dead-letters.ts); one that SQS moved after maxReceiveCount
 * failed receives (throttling that never ended, a bug) carries neither: its consumer's log says.
 * The stream's on-failure queue (outbox-failures) has no consumer: its own messages are listed too.
 * `gonghui dlq redrive --aws` does the same on a deployed stack.
 *
 * The redrive uses SQS's own (StartMessageMoveTask) where it can, and falls back to receive →
 * send → delete where it cannot: the AWS China regions do not offer the managed redrive, so
 * there it is not tried; elsewhere a refusal (an emulator, a missing permission, a failed task)
 * falls back with the reason in the report.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '../../../shared/adapters/dead-letters.ts';
import { partitionOf } from '../../partition.ts';
import { deadLetterOnlyQueues, dlqName, pascal, type QueueKey, queues } from '../../topology.ts';
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

/** A queue and its DLQ, with the ARNs the managed redrive takes. */
export interface QueuePairRef {
  /** The topology's key (`hr`), or the queue's name where it is not one of the topology's. */
  queue: string;
  url: string;
  arn: string;
  dlqUrl: string;
  dlqArn: string;
}

export interface RedriveReport {
  queue: string;
  moved: number;
  how: 'managed' | 'receive-send-delete';
  /** Why the managed redrive was not used, when it was not. */
  note?: string;
}

/**
 * Receive → send → delete: send to the source queue first, then delete from the DLQ (never lose
 * one). Only what rested there when the redrive began: a message still malformed is dead-lettered
 * again by its consumer at once, as a new message, and must not be moved round and round.
 */
const moveOneByOne = async (sqs: SQSClient, pair: QueuePairRef, began: number): Promise<number> => {
  let count = 0;
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pair.dlqUrl,
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
            QueueUrl: pair.dlqUrl,
            ReceiptHandle: m.ReceiptHandle!,
            VisibilityTimeout: 0,
          }),
        )
        .catch(() => {});
    }
    if (earlier.length === 0) break;
    for (const m of earlier) {
      await sqs.send(new SendMessageCommand({ QueueUrl: pair.url, MessageBody: m.Body ?? '' }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: pair.dlqUrl, ReceiptHandle: m.ReceiptHandle! }));
      count++;
    }
  }
  return count;
};

/** How long a managed move task may run before the command stops waiting (it goes on by itself). */
const MOVE_TASK_WAIT_MS = 10 * 60_000;
const MOVE_TASK_POLL_MS = 2_000;

/** SQS's own redrive: one task per DLQ, back to its source queue; waits for its end. */
const moveByTask = async (sqs: SQSClient, pair: QueuePairRef, sleep: (ms: number) => Promise<unknown>) => {
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: pair.dlqArn, DestinationArn: pair.arn }));
  const until = Date.now() + MOVE_TASK_WAIT_MS;
  for (;;) {
    const [task] =
      (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: pair.dlqArn, MaxResults: 1 }))).Results ??
      [];
    if (task?.Status === 'COMPLETED') return task.ApproximateNumberOfMessagesMoved ?? 0;
    if (task?.Status === 'FAILED' || task?.Status === 'CANCELLED')
      throw new Error(
        `the move task ${task.Status.toLowerCase()}: ${task.FailureReason ?? 'no reason given'}`,
      );
    if (Date.now() > until)
      throw new CliError(
        `the move task of ${pair.queue} is still running after 10 min (it goes on by itself)`,
      );
    await sleep(MOVE_TASK_POLL_MS);
  }
};

/**
 * Moves one DLQ's messages back. The managed redrive where the partition has it, and receive →
 * send → delete where it has not (aws-cn) or where it fails (the rest of the DLQ, one by one).
 */
export const redrivePair = async (
  sqs: SQSClient,
  pair: QueuePairRef,
  partition: string,
  sleep: (ms: number) => Promise<unknown> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<RedriveReport> => {
  const began = Date.now();
  let note = 'aws-cn has no managed DLQ redrive';
  if (partition !== 'aws-cn') {
    try {
      return { queue: pair.queue, moved: await moveByTask(sqs, pair, sleep), how: 'managed' };
    } catch (error) {
      if (error instanceof CliError) throw error;
      note = `managed redrive unavailable (${(error as Error).name}: ${(error as Error).message.slice(0, 200)})`;
    }
  }
  return { queue: pair.queue, moved: await moveOneByOne(sqs, pair, began), how: 'receive-send-delete', note };
};

/** Moves messages back in the local runtime (as on AWS: managed first, then one by one). */
export const redriveDlq = async (opts: { queue?: string } = {}, info = loadRuntimeInfo()) => {
  const sqs = sqsFor(info);
  const moved: Record<string, number> = {};
  for (const key of selectQueues(opts.queue)) {
    const q = info.queues[key];
    const pair = { queue: key, url: q.url, arn: q.arn, dlqUrl: q.dlqUrl, dlqArn: q.dlqArn };
    moved[key] = (await redrivePair(sqs, pair, partitionOf(info.region))).moved;
  }
  return moved;
};

/**
 * The queues of a deployed stack and their DLQs, from SQS alone (no CloudFormation call): the
 * stack's queues are named `<stack>-<LogicalId>-<suffix>`, and each source queue's redrive
 * policy names its DLQ.
 */
export const stackQueuePairs = async (sqs: SQSClient, stack: string): Promise<QueuePairRef[]> => {
  const urls: string[] = [];
  let next: string | undefined;
  do {
    const out = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${stack}-`, NextToken: next }));
    urls.push(...(out.QueueUrls ?? []));
    next = out.NextToken;
  } while (next);
  const described = await Promise.all(
    urls.map(async (url) => {
      const a =
        (
          await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
          )
        ).Attributes ?? {};
      const dlqArn = a.RedrivePolicy
        ? (JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
        : undefined;
      return { url, arn: a.QueueArn ?? '', dlqArn };
    }),
  );
  const byArn = new Map(described.map((d) => [d.arn, d]));
  const nameOf = (arn: string) => arn.split(':').pop() ?? arn;
  const keyOf = (arn: string) =>
    (Object.keys(queues) as QueueKey[]).find((k) =>
      nameOf(arn).startsWith(`${stack}-${pascal(queues[k].name)}Queue`),
    ) ?? nameOf(arn);
  return described
    .filter((d) => d.dlqArn && byArn.has(d.dlqArn))
    .map((d) => ({
      queue: keyOf(d.arn),
      url: d.url,
      arn: d.arn,
      dlqUrl: byArn.get(d.dlqArn!)!.url,
      dlqArn: d.dlqArn!,
    }))
    .sort((a, b) => a.queue.localeCompare(b.queue));
};

/** `gonghui dlq redrive --aws [--stack Gonghui] [--queue NAME]`: the deployed stack's DLQs. */
export const redriveDlqOnAws = async (
  opts: { stack?: string; queue?: string } = {},
  sqs: SQSClient = new SQSClient({}),
): Promise<RedriveReport[]> => {
  const stack = opts.stack ?? 'Gonghui';
  const partition = partitionOf(await sqs.config.region());
  const pairs = (await stackQueuePairs(sqs, stack)).filter(
    (p) =>
      !opts.queue ||
      p.queue === opts.queue ||
      (p.queue in queues && queues[p.queue as QueueKey].name === opts.queue),
  );
  if (pairs.length === 0)
    throw new CliError(`no queue of stack ${stack}${opts.queue ? ` named ${opts.queue}` : ''} with a DLQ`);
  const reports: RedriveReport[] = [];
  for (const pair of pairs) reports.push(await redrivePair(sqs, pair, partition));
  return reports;
};
