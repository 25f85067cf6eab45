/** grant-care: the care queue's consumer; each message is a task (a page of members to grant). */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { careDeps } from '../shared/config/care-deps.ts';
import { type CareTask, runCareTask } from '../shared/domain/care/grants.ts';
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

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: string[] = [];
  for (const record of event.Records) {
    try {
      const task = taskSchema.parse(JSON.parse(record.body)) as CareTask;
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
