/**
 * publish-outbox: the table stream's consumer. Domain events written to the outbox (in the same
 * transaction as their state change) are put on the bus, ten per PutEvents call. A failed entry
 * makes the batch report that record and every later one as failed, so the stream resumes from
 * it in order; events published twice are harmless because every consumer is idempotent.
 *
 * An outbox item that is no domain event (its source, detail-type or detail missing, the detail
 * not JSON or without eventId, occurredAt and version) can never be published: it goes to the
 * stream's on-failure queue (outbox-failures, this function's dead-letter queue) at once, the
 * stream record as its body, with the reason and this function's name, instead of holding the
 * shard through ten retries.
 */
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { domainEventBase } from '../events/domain.ts';
import { eventBridgeClient } from '../shared/adapters/aws-clients.ts';
import type { DeadLetter } from '../shared/adapters/dead-letters.ts';
import { domainEventFromOutboxItem } from '../shared/adapters/outbox.ts';
import { readEnv } from '../shared/config/config.ts';
import { ownDeadLetterQueue } from '../shared/config/dead-letters.ts';
import { ENV } from '../shared/config/env-names.ts';
import { checkPart, Malformed, reasonOf } from '../shared/domain/malformed.ts';
import { logger } from '../shared/observability/logger.ts';

const busName = readEnv(ENV.eventBusName);
const events = eventBridgeClient();
const deadLetters = ownDeadLetterQueue();
const ENTRIES_PER_CALL = 10;

/** What every domain event's detail carries (events/domain.ts); the rest is its own contract's. */
const detailBase = z.looseObject(domainEventBase);

/** The bus entry of an outbox item; throws Malformed when the item is no domain event. */
const toEntry = (record: DynamoDBRecord): PutEventsRequestEntry => {
  const image = unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue> as never);
  let event: ReturnType<typeof domainEventFromOutboxItem>;
  try {
    event = domainEventFromOutboxItem(image);
  } catch (error) {
    throw new Malformed(
      error instanceof SyntaxError ? 'detail: not JSON' : `(item): ${(error as Error).message}`,
    );
  }
  checkPart('detail', () => detailBase.parse(event.detail));
  return {
    EventBusName: busName,
    Source: event.source,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
  };
};

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const records = event.Records.filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage);
  const entries: Array<{ index: number; entry: PutEventsRequestEntry }> = [];
  const malformed: DeadLetter[] = [];
  records.forEach((record, index) => {
    try {
      entries.push({ index, entry: toEntry(record) });
    } catch (error) {
      const reason = reasonOf(error);
      malformed.push({ id: sequenceOf(record), body: JSON.stringify(record), reason });
      logger.warn('Dead-lettered a malformed outbox item', {
        sequenceNumber: sequenceOf(record),
        reason: reason.slice(0, 1000),
      });
    }
  });
  // The stream resumes from the first record not done: one the on-failure queue did not take,
  // or the first entry the bus refused. Nothing after it is published now (it comes again).
  let firstFailed = records.length;
  if (malformed.length > 0) {
    for (const id of await deadLetters.send(malformed)) {
      const index = records.findIndex((r) => sequenceOf(r) === id);
      if (index >= 0) firstFailed = Math.min(firstFailed, index);
    }
  }
  const publishable = entries.filter((e) => e.index < firstFailed);
  for (let start = 0; start < publishable.length; start += ENTRIES_PER_CALL) {
    const chunk = publishable.slice(start, start + ENTRIES_PER_CALL);
    let failedAt = -1;
    try {
      const out = await events.send(new PutEventsCommand({ Entries: chunk.map((c) => c.entry) }));
      failedAt = (out.Entries ?? []).findIndex((e) => e.ErrorCode);
      if (failedAt >= 0) {
        logger.warn('PutEvents rejected an entry', {
          errorCode: out.Entries?.[failedAt]?.ErrorCode,
          failedEntryCount: out.FailedEntryCount,
        });
      }
    } catch (error) {
      logger.warn('PutEvents failed', { error: (error as Error).name, reason: (error as Error).message });
      failedAt = 0;
    }
    if (failedAt >= 0) {
      firstFailed = Math.min(firstFailed, chunk[failedAt]!.index);
      break;
    }
  }
  if (firstFailed < records.length)
    return { batchItemFailures: [{ itemIdentifier: sequenceOf(records[firstFailed]!) }] };
  logger.debug('Published outbox events', { count: entries.length, deadLettered: malformed.length });
  return { batchItemFailures: [] };
};
