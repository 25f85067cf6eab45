/**
 * Domain events of the proposals context. Every change of a proposal emits one; the ones that
 * mail carry their recipients, resolved when the change was made.
 */
import * as z from 'zod/mini';
import { defineEvent } from './domain.ts';

export const PROPOSALS_SOURCE = 'gonghui.proposals';

const recipient = z.object({ id: z.string(), email: z.string(), name: z.optional(z.string()) });

const change = {
  proposalId: z.string(),
  number: z.nullable(z.string()),
  title: z.string(),
  session: z.string(),
  from: z.string(),
  to: z.string(),
  action: z.string(),
  by: z.string(),
  /** Author and seconders, for the mail on every published state change. */
  recipients: z.array(recipient),
  /** The lead department's mailbox, on assignment. */
  department: z.optional(z.object({ code: z.string(), email: z.optional(z.string()), dueDate: z.string() })),
  reason: z.optional(z.nullable(z.string())),
};

const changed = (detailType: string) => defineEvent(PROPOSALS_SOURCE, detailType, 1, change);

export const PROPOSAL_CHANGE_EVENTS = [
  'ProposalDrafted',
  'ProposalEdited',
  'ProposalSubmitted',
  'ProposalSeconded',
  'ProposalUnderReview',
  'ProposalRegistered',
  'ProposalMerged',
  'ProposalConverted',
  'ProposalRejected',
  'ProposalAssigned',
  'ProposalAnswered',
  'ProposalReassigned',
  'ProposalClosed',
  'ProposalWithdrawn',
] as const;
export type ProposalChangeEvent = (typeof PROPOSAL_CHANGE_EVENTS)[number];

export const ProposalChanged = Object.fromEntries(
  PROPOSAL_CHANGE_EVENTS.map((t) => [t, changed(t)]),
) as Record<ProposalChangeEvent, ReturnType<typeof changed>>;
export const proposalChangeSchema = changed('ProposalChanged').schema;
export type ProposalChangeDetail = z.infer<typeof proposalChangeSchema>;

/** A department's daily reminder: due within three days, or overdue. One per proposal and day. */
export const ProposalReminderDue = defineEvent(PROPOSALS_SOURCE, 'ProposalReminderDue', 1, {
  proposalId: z.string(),
  number: z.nullable(z.string()),
  title: z.string(),
  department: z.object({ code: z.string(), email: z.string() }),
  dueDate: z.string(),
  date: z.string(),
  overdue: z.boolean(),
});
