/**
 * publish-outbox: the table stream's consumer. Domain events written to the outbox (in the same
 * transaction as their state change) are put on the bus, ten per PutEvents call. A failed entry
 * makes the batch report that record and every later one as failed, so the stream resumes from
 * it in order; events published twice are harmless because every consumer is idempotent.
 */
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { eventBridgeClient } from '../shared/adapters/aws-clients.ts';
import { domainEventFromOutboxItem } from '../shared/adapters/outbox.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { logger } from '../shared/observability/logger.ts';

const busName = readEnv(ENV.eventBusName);
const events = eventBridgeClient();
const ENTRIES_PER_CALL = 10;

const toEntry = (record: DynamoDBRecord): PutEventsRequestEntry => {
  const image = unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue> as never);
  const event = domainEventFromOutboxItem(image);
  return {
    EventBusName: busName,
    Source: event.source,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
  };
};

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const records = event.Records.filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage);
  for (let start = 0; start < records.length; start += ENTRIES_PER_CALL) {
    const chunk = records.slice(start, start + ENTRIES_PER_CALL);
    let firstFailed = -1;
    try {
      const out = await events.send(new PutEventsCommand({ Entries: chunk.map(toEntry) }));
      firstFailed = (out.Entries ?? []).findIndex((e) => e.ErrorCode);
      if (firstFailed >= 0) {
        const failed = out.Entries?.[firstFailed];
        logger.warn('PutEvents rejected an entry', {
          errorCode: failed?.ErrorCode,
          failedEntryCount: out.FailedEntryCount,
        });
      }
    } catch (error) {
      logger.warn('PutEvents failed', { error: (error as Error).name, reason: (error as Error).message });
      firstFailed = 0;
    }
    if (firstFailed >= 0) {
      const from = chunk[firstFailed]!;
      return { batchItemFailures: [{ itemIdentifier: from.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  logger.debug('Published outbox events', { count: records.length });
  return { batchItemFailures: [] };
};
