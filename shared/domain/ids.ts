import { encodeTime, monotonicFactory } from 'ulid';

/** ULIDs: unique, and sortable by creation time, which keeps listings and outbox order readable. */
export const newId: () => string = monotonicFactory();

/** The time part of the ids made at an instant: it sorts after every id made before it. */
export const idTimePrefix = (instant: Date): string => encodeTime(instant.getTime(), 10);
