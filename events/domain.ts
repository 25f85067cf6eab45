/**
 * Domain events: what Gonghui's contexts announce on the bus. Each has a source, a detail-type,
 * a version and a zod schema of its detail; publishers, the bus rules, consumers and tests
 * import the same definition.
 */
import { z } from 'zod';

export const DOMAIN_SOURCE_PREFIX = 'gonghui.';

/** Fields every domain event's detail carries. */
export const domainEventBase = z.object({
  /** ULID, unique per event: the key consumers deduplicate on. */
  eventId: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  version: z.number().int().positive(),
});

export interface DomainEventDefinition<T extends z.ZodType = z.ZodType> {
  source: `gonghui.${string}`;
  detailType: string;
  version: number;
  /** Schema of the detail (including the base fields). */
  schema: T;
}

export const defineEvent = <S extends `gonghui.${string}`, D extends string, Shape extends z.ZodRawShape>(
  source: S,
  detailType: D,
  version: number,
  shape: Shape,
) => ({ source, detailType, version, schema: domainEventBase.extend(shape) }) as const;

/** A domain event as it travels through the outbox and the bus. */
export interface DomainEvent<Detail = Record<string, unknown>> {
  source: string;
  detailType: string;
  detail: Detail & { eventId: string; occurredAt: string; version: number };
}
