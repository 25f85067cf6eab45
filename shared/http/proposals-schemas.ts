/** Request schemas of the proposals API: validation and the OpenAPI document share them. */
import * as z from 'zod/mini';
import { PROPOSAL_STATES } from '../domain/proposals/proposal.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const session = z.string().check(z.regex(/^[\w-]{1,32}$/));
const department = z.string().check(z.regex(/^[\w.-]{1,32}$/));

export const createProposalBody = z.strictObject({
  title: text(200),
  content: text(20_000),
  category: z.optional(text(64)),
  session: z.optional(session),
});

export const actionBodies = {
  submit: z.strictObject({}),
  second: z.strictObject({}),
  withdraw: z.strictObject({ reason: text(1000) }),
  review: z.strictObject({
    decision: z.enum(['register', 'merge', 'convert', 'reject']),
    reason: z.optional(z.string().check(z.maxLength(2000))),
    mergeInto: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  }),
  assign: z.strictObject({
    department,
    supportingDepartments: z.optional(z.array(department).check(z.maxLength(20))),
    dueDate: z.iso.date(),
  }),
  answer: z.strictObject({
    content: text(20_000),
    cost: z.optional(z.string().check(z.maxLength(200))),
    period: z.optional(z.string().check(z.maxLength(200))),
  }),
  feedback: z.strictObject({
    rating: z.enum(['satisfied', 'basically_satisfied', 'dissatisfied']),
    comment: z.optional(z.string().check(z.maxLength(2000))),
  }),
} as const;

export const proposalListQuery = z.strictObject({
  state: z.optional(z.enum(PROPOSAL_STATES)),
  session: z.optional(session),
  department: z.optional(department),
  author: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export const sessionQuery = z.strictObject({ session });
export const exportQuery = z.strictObject({ session: z.optional(session) });

const person = z.object({ id: z.string(), name: z.optional(z.string()) });
const nullable = <T extends z.ZodMiniType>(t: T) => z.nullable(t);
export const proposalResponse = z.object({
  id: z.string(),
  number: nullable(z.string()),
  session: z.string(),
  state: z.enum(PROPOSAL_STATES),
  title: z.string(),
  content: z.string(),
  category: nullable(z.string()),
  author: person,
  seconders: z.array(person),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
