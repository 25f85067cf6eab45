/**
 * A staff-congress proposal (教代会提案) and its state machine:
 *
 *   draft ─submit→ submitted ─(seconded by ≥ N other delegates)→ under_review
 *   under_review ─review→ registered | merged | converted | not_registered (reason required)
 *   registered ─assign→ assigned ─answer→ answered
 *   answered ─feedback satisfied | basically_satisfied→ closed
 *   answered ─feedback dissatisfied→ assigned again (at most a set number of times, then closed)
 *   draft | submitted | under_review ─withdraw→ withdrawn
 */
export const PROPOSAL_STATES = [
  'draft',
  'submitted',
  'under_review',
  'registered',
  'merged',
  'converted',
  'not_registered',
  'assigned',
  'answered',
  'closed',
  'withdrawn',
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const ACTIONS = ['submit', 'second', 'withdraw', 'review', 'assign', 'answer', 'feedback'] as const;
export type ProposalAction = (typeof ACTIONS)[number];

export type Rating = 'satisfied' | 'basically_satisfied' | 'dissatisfied';
export type ReviewDecision = 'register' | 'merge' | 'convert' | 'reject';

export interface Person {
  /** The token subject: the 工号. */
  id: string;
  name?: string;
}

export interface Proposal {
  id: string;
  /** `<session>-<seq>` given at registration, e.g. 2026-017. */
  number: string | null;
  session: string;
  state: ProposalState;
  title: string;
  content: string;
  category: string | null;
  author: Person;
  seconders: Person[];
  review: {
    decision: ReviewDecision;
    reason: string | null;
    mergeInto: string | null;
    by: string;
    at: string;
  } | null;
  assignment: {
    department: string;
    supportingDepartments: string[];
    dueDate: string;
    assignedAt: string;
    /** 1 for the first assignment, +1 for each reassignment after a dissatisfied rating. */
    round: number;
  } | null;
  answer: { content: string; cost: string | null; period: string | null; by: string; at: string } | null;
  feedback: { rating: Rating; comment: string | null; at: string } | null;
  ratings: Array<{ rating: Rating; comment: string | null; at: string; round: number }>;
  withdrawal: { reason: string; at: string } | null;
  submittedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Which states each action may start from. */
export const ALLOWED_FROM: Record<ProposalAction, readonly ProposalState[]> = {
  submit: ['draft'],
  second: ['submitted'],
  withdraw: ['draft', 'submitted', 'under_review'],
  review: ['under_review'],
  assign: ['registered'],
  answer: ['assigned'],
  feedback: ['answered'],
};

/** Drafts belong to their author alone; everything else is visible to the congress. */
export const isPublished = (state: ProposalState) => state !== 'draft';

export const formatProposalNumber = (session: string, seq: number) =>
  `${session}-${String(seq).padStart(3, '0')}`;
