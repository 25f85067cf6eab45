/** Request schemas of the awards API. */
import * as z from 'zod/mini';
import { AWARD_KINDS } from '../domain/awards/award.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const employeeId = z.string().check(z.regex(/^[\w.-]{1,64}$/));

export const createAwardBody = z.strictObject({
  title: text(200),
  kind: z.enum(AWARD_KINDS),
  description: z.optional(text(5000)),
  nominationOpensOn: z.iso.date(),
  nominationClosesOn: z.iso.date(),
  votingOpensOn: z.iso.date(),
  votingClosesOn: z.iso.date(),
  places: z.number().check(z.int(), z.minimum(1), z.maximum(1000)),
});

export const nominationBody = z.strictObject({ employeeId, citation: text(5000) });

export const shortlistBody = z.strictObject({
  nominationIds: z.array(employeeId).check(z.minLength(1), z.maxLength(200)),
});

export const voteBody = z.strictObject({ nominationId: employeeId });

export const awardResponse = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(AWARD_KINDS),
  nominationOpensOn: z.string(),
  nominationClosesOn: z.string(),
  votingOpensOn: z.string(),
  votingClosesOn: z.string(),
  places: z.number(),
  phase: z.enum(['before', 'nominating', 'shortlisting', 'voting', 'counting_closed']),
  description: z.nullable(z.string()),
  /** When the shortlist was last set (null: none yet). */
  shortlistedAt: z.nullable(z.string()),
  createdAt: z.string(),
});

export const awardListResponse = z.object({ items: z.array(awardResponse) });

/** A nomination as everyone may read it once shortlisted (no votes: the count waits for the results). */
export const nominationResponse = z.object({
  nominationId: z.string(),
  employeeId: z.string(),
  name: z.nullable(z.string()),
  branch: z.string(),
  branchName: z.nullable(z.string()),
  citation: z.string(),
});

export const awardDetailResponse = z.object({
  ...awardResponse.shape,
  shortlist: z.array(nominationResponse),
  /** Whether the caller has voted (not for whom). */
  voted: z.boolean(),
});

export const nominationListResponse = z.object({
  items: z.array(
    z.object({ ...nominationResponse.shape, shortlisted: z.boolean(), nominatedBy: z.string() }),
  ),
});

export const shortlistResponse = z.object({ shortlisted: z.number(), changed: z.number() });

export const voteResponse = z.object({ voted: z.literal(true) });

export const resultsResponse = z.object({
  award: awardResponse,
  totalVotes: z.number(),
  results: z.array(
    z.object({
      nominationId: z.string(),
      employeeId: z.string(),
      name: z.nullable(z.string()),
      branch: z.string(),
      votes: z.number(),
      /** 1 + how many got more votes: ties share a rank (1, 1, 3). */
      rank: z.number(),
      awarded: z.boolean(),
    }),
  ),
  /** How many are awarded: more than the places when a tie crosses the last place. */
  awarded: z.number(),
  tieAtCutoff: z.boolean(),
});
