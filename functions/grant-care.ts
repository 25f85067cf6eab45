/**
 * grant-care: the care queue's consumer; each message is a task (a page of members to grant). A
 * task that is not one (its schema below) goes to the care DLQ at once with the reason; a task
 * that fails on the way (throttling, a timeout) is retried by the queue.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { readBatch } from '../shared/adapters/sqs-consumer.ts';
import { careDeps } from '../shared/config/care-deps.ts';
import { ownDeadLetterQueue } from '../shared/config/dead-letters.ts';
import { type CareTask, runCareTask } from '../shared/domain/care/grants.ts';
import { readMessage } from '../shared/domain/malformed.ts';
import { logger } from '../shared/observability/logger.ts';

const deps = careDeps();

const date = z.iso.date();
const fen = z.number().check(z.int(), z.minimum(0));
/** What the planner resolved from the settings for this run (absent: the task reads them itself). */
const plan = z.optional(
  z.object({
    name: z.string().check(z.minLength(1)),
    audience: z.enum(['all', 'women', 'retirees']),
    rule: z.object({
      enabled: z.boolean(),
      category: z.enum(['holiday', 'birthday', 'life']),
      amountFen: fen,
      gift: z.optional(z.string()),
      workingDaysAhead: z.number().check(z.int()),
      statuses: z.array(z.enum(['active', 'retired', 'left', 'transferred_out', 'expelled'])),
      minMembershipDays: z.number().check(z.int()),
    }),
    capFen: fen,
    policyEffectiveFrom: date,
  }),
);
const taskSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('holiday'),
    occasion: z.string().check(z.minLength(1)),
    year: z.number().check(z.int()),
    date,
    branch: z.string().check(z.minLength(1)),
    cursor: z.optional(z.string()),
    plan,
  }),
  z.object({ kind: z.literal('birthday'), date, cursor: z.optional(z.string()), plan }),
]);

const deadLetters = ownDeadLetterQueue();
const readTask = (body: string) => readMessage(body, (value) => taskSchema.parse(value) as CareTask);

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { readable, failed } = await readBatch(event.Records, readTask, deadLetters);
  const failures = [...failed];
  for (const { record, message: task } of readable) {
    try {
      const result = await runCareTask(task, deps);
      logger.info('Care task done', { kind: task.kind, date: task.date, ...result });
    } catch (error) {
      logger.error('Care task failed', {
        messageId: record.messageId,
        error: (error as Error).name,
        reason: (error as Error).message.slice(0, 500),
      });
      failures.push(record.messageId);
    }
  }
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
};
