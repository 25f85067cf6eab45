/**
 * The outbox: a use case's domain events are written as items in the same TransactWriteItems
 * as its state change. The stream hands them to publish-outbox, which puts them on the bus. So an
 * event is published if and only if its state change was stored.
 */
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
