/** Request schemas of the mutual-aid API. */
import * as z from 'zod/mini';

export const windowBody = z.strictObject({
  opensOn: z.iso.date(),
  closesOn: z.iso.date(),
  /** Yuan as text with up to two decimals ("30", "30.50"); stored in fen. */
  feeYuan: z.string().check(z.regex(/^\d{1,7}(\.\d{1,2})?$/)),
  /** Days before closesOn to remind members who have not decided (default 7 and 1). */
  reminderDaysBefore: z.optional(
    z.array(z.number().check(z.int(), z.minimum(0), z.maximum(60))).check(z.maxLength(5)),
  ),
});

export const choiceBody = z.strictObject({ enrol: z.boolean() });

/** A member's choice: in or out, when, and how many times they decided (1: the first choice). */
export const choiceResponse = z.object({ enrol: z.boolean(), decidedAt: z.string(), changes: z.number() });

export const windowResponse = z.object({
  year: z.number(),
  opensOn: z.string(),
  closesOn: z.string(),
  feeYuan: z.string(),
  reminderDaysBefore: z.array(z.number()),
  state: z.enum(['not_open', 'open', 'closed']),
  /** GET: the caller's choice (null: not decided). */
  mine: z.optional(z.nullable(choiceResponse)),
});

export const windowListResponse = z.object({ items: z.array(windowResponse) });
