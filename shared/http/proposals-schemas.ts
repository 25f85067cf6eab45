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

/** Editing a draft: what is sent changes, the rest stays; `category: null` clears it. */
export const editProposalBody = z
  .strictObject({
    title: z.optional(text(200)),
    content: z.optional(text(20_000)),
    category: z.optional(z.nullable(text(64))),
  })
  .check(z.refine((b) => Object.keys(b).length > 0, { message: 'nothing to change', path: ['(body)'] }));

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
const rating = z.enum(['satisfied', 'basically_satisfied', 'dissatisfied']);
/** The proposal as the API shows it (shared/domain/proposals/proposal.ts), for the OpenAPI document. */
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
  review: nullable(
    z.object({
      decision: z.enum(['register', 'merge', 'convert', 'reject']),
      reason: nullable(z.string()),
      mergeInto: nullable(z.string()),
      by: z.string(),
      at: z.string(),
    }),
  ),
  assignment: nullable(
    z.object({
      department: z.string(),
      supportingDepartments: z.array(z.string()),
      dueDate: z.string(),
      assignedAt: z.string(),
      round: z.number(),
    }),
  ),
  answer: nullable(
    z.object({
      content: z.string(),
      cost: nullable(z.string()),
      period: nullable(z.string()),
      by: z.string(),
      at: z.string(),
    }),
  ),
  feedback: nullable(z.object({ rating, comment: nullable(z.string()), at: z.string() })),
  ratings: z.array(z.object({ rating, comment: nullable(z.string()), at: z.string(), round: z.number() })),
  withdrawal: nullable(z.object({ reason: z.string(), at: z.string() })),
  submittedAt: nullable(z.string()),
  closedAt: nullable(z.string()),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const proposalListResponse = z.object({
  items: z.array(proposalResponse),
  cursor: z.optional(z.string()),
});

export const proposalHistoryResponse = z.object({
  items: z.array(
    z.object({
      proposalId: z.string(),
      version: z.number(),
      action: z.enum([
        'create',
        'edit',
        'submit',
        'second',
        'withdraw',
        'review',
        'assign',
        'answer',
        'feedback',
      ]),
      from: nullable(z.enum(PROPOSAL_STATES)),
      to: z.enum(PROPOSAL_STATES),
      by: z.string(),
      at: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});
