/** Domain events of the care context. */
import * as z from 'zod/mini';
import { defineEvent } from './domain.ts';

export const CARE_SOURCE = 'gonghui.care';

/** A grant was made (or decided as skipped by a cap): the member hears of a real one. */
export const CareGranted = defineEvent(CARE_SOURCE, 'CareGranted', 1, {
  memberId: z.string(),
  employeeId: z.string(),
  name: z.string(),
  email: z.string(),
  branch: z.object({ code: z.string(), name: z.string() }),
  occasion: z.string(),
  occasionName: z.string(),
  date: z.string(),
  amountFen: z.number(),
  gift: z.optional(z.string()),
  reason: z.string(),
});

/** A life event was reported (or opened by HR's report of a death) and waits for the chair. */
export const CareRequested = defineEvent(CARE_SOURCE, 'CareRequested', 1, {
  requestId: z.string(),
  memberId: z.string(),
  kind: z.string(),
  branch: z.string(),
});
