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

// ---- responses (the web app's types are generated from them) ----

const category = z.enum(['holiday', 'birthday', 'life']);
const occasionRule = z.object({
  enabled: z.boolean(),
  category,
  amountFen: z.number(),
  gift: z.optional(z.string()),
  workingDaysAhead: z.number(),
  statuses: z.array(z.string()),
  minMembershipDays: z.number(),
});
const carePolicy = z.object({
  effectiveFrom: z.string(),
  caps: z.object({ holiday: z.number(), birthday: z.number(), life: z.number() }),
  occasions: z.record(z.string(), occasionRule),
  lifeEvents: z.record(z.string(), z.object({ amountFen: z.number() })),
});

export const policyResponse = z.object({
  /** The date asked about (default today). */
  date: z.string(),
  /** Today in Asia/Shanghai: versions before it are the past. */
  today: z.string(),
  inForce: carePolicy,
  source: z.enum(['default', 'stored']),
  versions: z.array(
    z.object({
      ...carePolicy.shape,
      updatedAt: z.string(),
      updatedBy: z.string(),
      /** superseded: took effect and was followed by another; in_force: in force today; scheduled: from a later day. */
      state: z.enum(['superseded', 'in_force', 'scheduled']),
      /** Whether PUT /care/policy may still replace it (effective today or later). */
      editable: z.boolean(),
    }),
  ),
  default: carePolicy,
});

export const ledgerEntryResponse = z.object({
  memberId: z.string(),
  employeeId: z.string(),
  membershipNumber: z.string(),
  branch: z.string(),
  branchName: z.string(),
  occasion: z.string(),
  occasionName: z.string(),
  category,
  year: z.number(),
  date: z.string(),
  amountFen: z.number(),
  gift: z.nullable(z.string()),
  reason: z.enum(['full', 'reduced_by_cap', 'skipped_cap_reached']),
  policyEffectiveFrom: z.string(),
  recordedAt: z.string(),
});

export const ledgerResponse = z.object({
  year: z.number(),
  entries: z.array(ledgerEntryResponse),
  totals: z.array(
    z.object({ branch: z.string(), occasion: z.string(), entries: z.number(), amountFen: z.number() }),
  ),
  totalFen: z.number(),
});

export const memberCareQuery = z.strictObject({
  year: z.optional(z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100))),
});

export const memberCareResponse = z.object({
  memberId: z.string(),
  employeeId: z.string(),
  year: z.number(),
  /** The day whose policy gave the caps (today for this year, 31 December for a past one). */
  capsAsOf: z.string(),
  entries: z.array(ledgerEntryResponse),
  totals: z.array(z.object({ category, spentFen: z.number(), capFen: z.number(), remainingFen: z.number() })),
  totalFen: z.number(),
});

export const careRequestResponse = z.object({
  id: z.string(),
  memberId: z.string(),
  employeeId: z.string(),
  branch: z.string(),
  kind: z.enum(['wedding', 'birth', 'hospital', 'bereavement', 'bereavement_relative', 'retirement']),
  date: z.string(),
  note: z.nullable(z.string()),
  status: z.enum(['pending', 'approved', 'rejected']),
  reportedBy: z.string(),
  decidedBy: z.nullable(z.string()),
  decisionReason: z.nullable(z.string()),
  amountFen: z.nullable(z.number()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});

export const careRequestListResponse = z.object({
  items: z.array(
    z.object({
      ...careRequestResponse.shape,
      /** Who it is for (null if the member record is gone). */
      member: z.nullable(
        z.object({ name: z.nullable(z.string()), membershipNumber: z.nullable(z.string()) }),
      ),
    }),
  ),
});
