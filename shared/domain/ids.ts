import { monotonicFactory } from 'ulid';

/** ULIDs: unique, and sortable by creation time, which keeps listings and outbox order readable. */
export const newId: () => string = monotonicFactory();
