/**
 * The first step of every SQS consumer: read each record of the batch against its contract. What
 * fails it is dead-lettered now, with its reason (dead-letters.ts); the rest is returned for the
 * consumer's own work, whose failures keep the queue's retries.
 */
import type { SQSRecord } from 'aws-lambda';
import { Malformed, reasonOf } from '../domain/malformed.ts';
import { logger } from '../observability/logger.ts';
import type { DeadLetterQueue } from './dead-letters.ts';

export interface ReadBatch<T> {
  readable: Array<{ record: SQSRecord; message: T }>;
  /** Malformed records the DLQ did not take: report them as failed, they come back. */
  failed: string[];
}

export const readBatch = async <T>(
  records: readonly SQSRecord[],
  read: (body: string) => T,
  deadLetters: DeadLetterQueue,
): Promise<ReadBatch<T>> => {
  const readable: ReadBatch<T>['readable'] = [];
  const malformed: Array<{ id: string; body: string; reason: string }> = [];
  for (const record of records) {
    try {
      readable.push({ record, message: read(record.body) });
    } catch (error) {
      const reason = error instanceof Malformed ? error.message : reasonOf(error);
      malformed.push({ id: record.messageId, body: record.body, reason });
      // The reason has field paths and messages only: it may be logged.
      logger.warn('Dead-lettered a malformed message', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        reason: reason.slice(0, 1000),
      });
    }
  }
  const failed = malformed.length > 0 ? await deadLetters.send(malformed) : [];
  return { readable, failed };
};
