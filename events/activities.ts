/**
 * Domain events of the activities context (运动会, 亲子运动会, clubs, 疗休养). The ones that mail
 * carry their recipient, resolved when the change was made.
 */
import * as z from 'zod/mini';
import { defineEvent } from './domain.ts';

export const ACTIVITIES_SOURCE = 'gonghui.activities';

const recipient = z.object({ email: z.string(), name: z.optional(z.string()) });

const activityFacts = {
  activityId: z.string(),
  title: z.string(),
  date: z.string(),
  place: z.string(),
};

/** An officer created an activity. */
export const ActivityCreated = defineEvent(ACTIVITIES_SOURCE, 'ActivityCreated', 1, {
  ...activityFacts,
  capacity: z.number(),
  branch: z.nullable(z.string()),
  by: z.string(),
});

/** A member registered: confirmed, or on the waiting list at a position. */
export const ActivityRegistered = defineEvent(ACTIVITIES_SOURCE, 'ActivityRegistered', 1, {
  ...activityFacts,
  employeeId: z.string(),
  status: z.enum(['confirmed', 'waiting']),
  /** Position on the waiting list when waiting, else null. */
  position: z.nullable(z.number()),
  family: z.number(),
  recipient: z.nullable(recipient),
});

/** A member cancelled; the places it freed went to `promoted` (in the same transaction). */
export const ActivityCancelled = defineEvent(ACTIVITIES_SOURCE, 'ActivityCancelled', 1, {
  ...activityFacts,
  employeeId: z.string(),
  was: z.enum(['confirmed', 'waiting']),
  promoted: z.array(z.string()),
});

/** A place freed and went to this member from the waiting list. */
export const ActivityPromoted = defineEvent(ACTIVITIES_SOURCE, 'ActivityPromoted', 1, {
  ...activityFacts,
  employeeId: z.string(),
  family: z.number(),
  recipient: z.nullable(recipient),
});

/** The day before the activity: one per confirmed participant, ever. */
export const ActivityReminderDue = defineEvent(ACTIVITIES_SOURCE, 'ActivityReminderDue', 1, {
  ...activityFacts,
  employeeId: z.string(),
  family: z.number(),
  recipient: recipient,
});
