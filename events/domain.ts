/**
 * Domain events: what Gonghui's contexts announce on the bus. Each has a source, a detail-type,
 * a version and a zod schema of its detail; publishers, the bus rules, consumers and tests
 * import the same definition.
 */
import * as z from 'zod/mini';

export const DOMAIN_SOURCE_PREFIX = 'gonghui.';

/** Fields every domain event's detail carries. */
export const domainEventBase = {
  /** ULID, unique per event: the key consumers deduplicate on. */
  eventId: z.string().check(z.minLength(1)),
  occurredAt: z.iso.datetime({ offset: true }),
  version: z.number().check(z.int(), z.positive()),
};

export const defineEvent = <
  S extends `gonghui.${string}`,
  D extends string,
  Shape extends z.core.$ZodLooseShape,
>(
  source: S,
  detailType: D,
  version: number,
  shape: Shape,
) => ({ source, detailType, version, schema: z.object({ ...domainEventBase, ...shape }) }) as const;

/** A domain event as it travels through the outbox and the bus. */
export interface DomainEvent<Detail = Record<string, unknown>> {
  source: string;
  detailType: string;
  detail: Detail & { eventId: string; occurredAt: string; version: number };
}

/** The EventBridge envelope as a consumer receives it (from an SQS target). */
export const eventBridgeEnvelope = z.object({
  version: z.string(),
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
});
