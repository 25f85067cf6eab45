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
});
