/**
 * The outbox: a use case's domain events are written as items in the same TransactWriteItems
 * as its state change. The stream hands them to publish-outbox, which puts them on the bus. So an
 * event is published if and only if its state change was stored.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../events/domain.ts';
import { DAY_SECONDS, ENTITY, epochSeconds, keys } from './keys.ts';

/** Outbox items only need to live until the stream has handed them on (24 h of stream retention). */
const OUTBOX_RETENTION_SECONDS = 7 * DAY_SECONDS;

export const outboxPut = (tableName: string, event: DomainEvent, now: Date) => ({
  Put: {
    TableName: tableName,
    Item: {
      ...keys.outboxEvent(event.detail.eventId),
      entity: ENTITY.outboxEvent,
      source: event.source,
      detailType: event.detailType,
      detail: JSON.stringify(event.detail),
      createdAt: now.toISOString(),
      expiresAt: epochSeconds(now) + OUTBOX_RETENTION_SECONDS,
    },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/** Reads an outbox item back from a stream image (already unmarshalled). */
export const domainEventFromOutboxItem = (item: Record<string, unknown>): DomainEvent => {
  if (item.entity !== ENTITY.outboxEvent) throw new Error('not an outbox item');
  const { source, detailType, detail } = item;
  if (typeof source !== 'string' || typeof detailType !== 'string' || typeof detail !== 'string') {
    throw new Error('malformed outbox item');
  }
  return { source, detailType, detail: JSON.parse(detail) };
};

/**
 * Writes one domain event on its own, once: the outbox item's key is the event id, so a second
 * write of the same event (a daily job run again) changes nothing. True when this call wrote it.
 */
export const emitOnce = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  event: DomainEvent,
): Promise<boolean> => {
  try {
    await db.send(new PutCommand(outboxPut(tableName, event, new Date()).Put));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};
