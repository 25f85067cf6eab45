/** The care queue: tasks go out ten per SendMessageBatch; a failed entry fails the call (and the caller retries). */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CareTask, TaskQueue } from '../domain/care/grants.ts';

export const sqsCareQueue = (sqs: SQSClient, queueUrl: string): TaskQueue => ({
  async enqueue(tasks: CareTask[]) {
    for (let i = 0; i < tasks.length; i += 10) {
      const chunk = tasks.slice(i, i + 10);
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((task, k) => ({ Id: String(k), MessageBody: JSON.stringify(task) })),
        }),
      );
      if (out.Failed?.length)
        throw new Error(`care queue refused ${out.Failed.length} tasks: ${out.Failed[0]?.Code}`);
    }
  },
});
