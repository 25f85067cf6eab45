/** The dashboard's query and response: validation and the OpenAPI document share them. */
import * as z from 'zod/mini';

export const dashboardQuery = z.strictObject({
  year: z.optional(z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100))),
  branch: z.optional(z.string().check(z.regex(/^[\w.-]{1,32}$/))),
  session: z.optional(z.string().check(z.regex(/^[\w-]{1,32}$/))),
});

const branchRef = z.object({ code: z.string(), name: z.string() });
const statusCounts = z.object({
  active: z.number(),
  retired: z.number(),
  left: z.number(),
  transferred_out: z.number(),
  expelled: z.number(),
});
const category = z.enum(['holiday', 'birthday', 'life']);

export const dashboardResponse = z.object({
  year: z.number(),
  /** Today in Asia/Shanghai. */
  today: z.string(),
  /** The branch the figures are limited to (an officer's own, or the `branch` asked for); null: the whole union. */
  scope: z.object({ branch: z.nullable(z.string()) }),
  members: z.object({
    total: statusCounts,
    byBranch: z.array(z.object({ branch: branchRef, total: z.number(), byStatus: statusCounts })),
  }),
  care: z.object({
    year: z.number(),
    /** The day whose policy gave the caps (today for this year, 31 December for a past one). */
    capsAsOf: z.string(),
    /** Per member and year, in fen. */
    caps: z.object({ holiday: z.number(), birthday: z.number(), life: z.number() }),
    totalFen: z.number(),
    categories: z.array(
      z.object({
        category,
        spentFen: z.number(),
        grants: z.number(),
        reducedByCap: z.number(),
        skippedCapReached: z.number(),
        capFen: z.number(),
        /** cap × members counted now (active and retired): the most the caps allow. */
        ceilingFen: z.number(),
        membersAtCap: z.number(),
      }),
    ),
    /** Twelve rows, January to December. */
    byMonth: z.array(
      z.object({
        month: z.string(),
        holidayFen: z.number(),
        birthdayFen: z.number(),
        lifeFen: z.number(),
        totalFen: z.number(),
      }),
    ),
    byBranch: z.array(z.object({ branch: branchRef, spentFen: z.number(), grants: z.number() })),
    byOccasion: z.array(
      z.object({
        occasion: z.string(),
        name: z.string(),
        category,
        spentFen: z.number(),
        grants: z.number(),
      }),
    ),
  }),
  /** Holidays whose dispatch day is today or within a year, soonest first. */
  holidays: z.array(
    z.object({
      occasion: z.string(),
      name: z.string(),
      date: z.string(),
      dispatchDate: z.string(),
      daysUntilDispatch: z.number(),
      audience: z.enum(['all', 'women', 'retirees']),
      arrangementKnown: z.boolean(),
      enabled: z.boolean(),
      amountFen: z.number(),
      gift: z.nullable(z.string()),
      reach: z.number(),
      estimatedFen: z.number(),
      reducedByCap: z.number(),
    }),
  ),
  /** The chair's, admins' and the auditor's: null for officers. */
  proposals: z.nullable(
    z.object({
      session: z.string(),
      total: z.number(),
      byState: z.record(z.string(), z.number()),
      overdue: z.array(
        z.object({
          id: z.string(),
          number: z.nullable(z.string()),
          title: z.string(),
          department: z.string(),
          dueDate: z.string(),
          daysOverdue: z.number(),
        }),
      ),
    }),
  ),
  /** The chair's, admins' and the auditor's: null for officers. */
  letters: z.nullable(
    z.object({
      unanswered: z.number(),
      oldestDays: z.nullable(z.number()),
      byAge: z.array(z.object({ days: z.string(), count: z.number() })),
      items: z.array(
        z.object({
          id: z.string(),
          category: z.string(),
          chairOnly: z.boolean(),
          delegated: z.boolean(),
          writtenOn: z.string(),
          daysWaiting: z.number(),
        }),
      ),
    }),
  ),
});

const ratingShares = {
  rated: z.number(),
  satisfied: z.number(),
  basicallySatisfied: z.number(),
  dissatisfied: z.number(),
  /** Share of the rated rated satisfied or basically satisfied; null when none was rated. */
  satisfiedShare: z.nullable(z.number()),
};

/** GET /reports/proposals: a session's proposals (proposals-service.ts proposalReport). */
export const proposalReportResponse = z.object({
  session: z.string(),
  total: z.number(),
  byState: z.record(z.string(), z.number()),
  answered: z.number(),
  answeredOnTime: z.number(),
  satisfaction: z.object(ratingShares),
  byDepartment: z.array(
    z.object({
      department: z.string(),
      assigned: z.number(),
      answered: z.number(),
      answeredOnTime: z.number(),
      overdue: z.number(),
      ...ratingShares,
    }),
  ),
});
