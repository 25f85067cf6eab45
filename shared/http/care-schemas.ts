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

// ---- care settings (chair, admin) ----

/** Up to 100,000 yuan, in fen. */
const fen = z.number().check(z.int(), z.minimum(0), z.maximum(10_000_000));
const occasionKey = z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/));
const statuses = z
  .array(z.enum(['active', 'retired', 'left', 'transferred_out', 'expelled']))
  .check(z.minLength(1), z.maxLength(5));
const gift = z.string().check(z.minLength(1), z.maxLength(100));
const workingDaysAhead = z.number().check(z.int(), z.minimum(0), z.maximum(10));
const minMembershipDays = z.number().check(z.int(), z.minimum(0), z.maximum(3650));

/** A change to an occasion's rule in a policy version: what is left out is carried over. */
const occasionRuleChange = z.strictObject({
  enabled: z.optional(z.boolean()),
  amountFen: z.optional(fen),
  gift: z.optional(gift),
  workingDaysAhead: z.optional(workingDaysAhead),
  statuses: z.optional(statuses),
  minMembershipDays: z.optional(minMembershipDays),
});

const lifeAmount = z.optional(z.strictObject({ amountFen: fen }));

export const policyBody = z.strictObject({
  effectiveFrom: z.iso.date(),
  caps: z.optional(
    z.strictObject({ holiday: z.optional(fen), birthday: z.optional(fen), life: z.optional(fen) }),
  ),
  occasions: z.optional(z.record(occasionKey, occasionRuleChange)),
  lifeEvents: z.optional(
    z.strictObject({
      wedding: lifeAmount,
      birth: lifeAmount,
      hospital: lifeAmount,
      bereavement: lifeAmount,
      bereavement_relative: lifeAmount,
      retirement: lifeAmount,
    }),
  ),
});

export const policyQuery = z.strictObject({ date: z.optional(z.iso.date()) });

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export const occasionBody = z
  .strictObject({
    occasion: occasionKey,
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(30)),
    calendar: z.enum(['solar', 'lunar']),
    month: z.number().check(z.int(), z.minimum(1), z.maximum(12)),
    day: z.number().check(z.int(), z.minimum(1), z.maximum(31)),
    audience: z.enum(['all', 'women', 'retirees']),
    amountFen: fen,
    gift: z.optional(gift),
    workingDaysAhead: z.optional(workingDaysAhead),
    statuses: z.optional(statuses),
    minMembershipDays: z.optional(minMembershipDays),
  })
  .check(
    // A solar occasion every year: no 29 February. A lunar month has 29 or 30 days (a 30th
    // falls on the 29th in a short month, as 除夕 does).
    z.refine((o) => o.day <= (o.calendar === 'lunar' ? 30 : DAYS_IN_MONTH[o.month - 1]!), {
      message: 'no such day in that month (solar: no 29 February; lunar: at most 30)',
      path: ['day'],
    }),
  );

export const occasionPath = occasionKey;

export const workdaysYear = z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100));

export const workdaysBody = z.strictObject({
  days: z.array(z.strictObject({ date: z.iso.date(), work: z.boolean() })).check(z.maxLength(366)),
});
