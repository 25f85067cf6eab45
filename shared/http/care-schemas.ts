/** Request schemas of the care API: validation and the OpenAPI document share them. */
import * as z from 'zod/mini';

export const ledgerQuery = z.strictObject({
  year: z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100)),
  branch: z.optional(z.string().check(z.regex(/^[\w.-]{1,32}$/))),
  occasion: z.optional(z.string().check(z.regex(/^[\w:-]{1,80}$/))),
});

export const careRequestBody = z.strictObject({
  memberId: z.string().check(z.minLength(1), z.maxLength(64)),
  kind: z.enum(['wedding', 'birth', 'hospital', 'bereavement', 'bereavement_relative', 'retirement']),
  date: z.iso.date(),
  note: z.optional(z.string().check(z.maxLength(1000))),
});

export const requestListQuery = z.strictObject({
  status: z.optional(z.enum(['pending', 'approved', 'rejected'])),
});

export const decisionBody = z.strictObject({ reason: z.optional(z.string().check(z.maxLength(1000))) });
