/** Domain events of awards (最美家庭, 评先推优): nominations and the shortlist mail their nominees. */
import * as z from 'zod/mini';
import { defineEvent } from './domain.ts';

export const AWARDS_SOURCE = 'gonghui.awards';

const recipient = z.object({ email: z.string(), name: z.optional(z.string()) });

/** A branch nominated a member. */
export const AwardNominated = defineEvent(AWARDS_SOURCE, 'AwardNominated', 1, {
  awardId: z.string(),
  title: z.string(),
  nominationId: z.string(),
  employeeId: z.string(),
  branch: z.string(),
  by: z.string(),
  votingOpensOn: z.string(),
  recipient: z.nullable(recipient),
});

/** The committee shortlisted; `shortlisted` are the nominees newly on the list, with their mailboxes. */
export const AwardShortlisted = defineEvent(AWARDS_SOURCE, 'AwardShortlisted', 1, {
  awardId: z.string(),
  title: z.string(),
  by: z.string(),
  votingOpensOn: z.string(),
  votingClosesOn: z.string(),
  shortlisted: z.array(z.object({ employeeId: z.string(), recipient: z.nullable(recipient) })),
});

/** A member voted (no mail; the voter is not named in the event). */
export const AwardVoted = defineEvent(AWARDS_SOURCE, 'AwardVoted', 1, {
  awardId: z.string(),
  nominationId: z.string(),
});

/**
 * The results, announced once per award by the daily job after the voting window closed: the
 * awarded nominees are mailed, and the union office gets the counts.
 */
export const AwardResultsPublished = defineEvent(AWARDS_SOURCE, 'AwardResultsPublished', 1, {
  awardId: z.string(),
  title: z.string(),
  places: z.number(),
  votingClosesOn: z.string(),
  totalVotes: z.number(),
  tieAtCutoff: z.boolean(),
  results: z.array(
    z.object({
      employeeId: z.string(),
      name: z.nullable(z.string()),
      votes: z.number(),
      rank: z.number(),
      awarded: z.boolean(),
      recipient: z.nullable(recipient),
    }),
  ),
});
