/** Domain events of mutual medical aid (职工医疗互助): a member's choice, and the reminders. */
import * as z from 'zod/mini';
import { defineEvent } from './domain.ts';

export const MUTUAL_AID_SOURCE = 'gonghui.mutual-aid';

const recipient = z.object({ email: z.string(), name: z.optional(z.string()) });

/** A member opted in or out (again: a change of mind inside the window is a new event). */
export const MutualAidChosen = defineEvent(MUTUAL_AID_SOURCE, 'MutualAidChosen', 1, {
  year: z.number(),
  employeeId: z.string(),
  enrol: z.boolean(),
  feeFen: z.number(),
  closesOn: z.string(),
  recipient: z.nullable(recipient),
});

/** A member who has not decided, on one of the window's reminder days: one per member and day. */
export const MutualAidReminderDue = defineEvent(MUTUAL_AID_SOURCE, 'MutualAidReminderDue', 1, {
  year: z.number(),
  employeeId: z.string(),
  feeFen: z.number(),
  closesOn: z.string(),
  date: z.string(),
  recipient: recipient,
});
