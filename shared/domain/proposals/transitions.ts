/**
 * The proposal state machine as pure functions: who may do what, from which state, and what
 * the proposal becomes. The use cases load, call these, and store the result with its history
 * entry and domain event in one transaction.
 */
import { Conflict, Forbidden, InvalidInput } from '../errors.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import {
  ALLOWED_FROM,
  isPublished,
  type Proposal,
  type ProposalAction,
  type Rating,
  type ReviewDecision,
} from './proposal.ts';

export interface ProposalPolicy {
  /** Other delegates' seconds needed before review (default 2). */
  secondersRequired: number;
  /** Reassignments after a dissatisfied rating before the proposal closes with the rating kept. */
  maxReassignments: number;
}

export type ActionInput =
  | { action: 'submit' }
  | { action: 'second' }
  | { action: 'withdraw'; reason: string }
  | { action: 'review'; decision: ReviewDecision; reason?: string; mergeInto?: string }
  | { action: 'assign'; department: string; supportingDepartments?: string[]; dueDate: string }
  | { action: 'answer'; content: string; cost?: string; period?: string }
  | { action: 'feedback'; rating: Rating; comment?: string };

export interface TransitionResult {
  next: Proposal;
  /** Domain event name for what happened (ProposalSubmitted, ProposalRegistered …). */
  event: string;
  /** True when registration needs the session's next number (given by the store, in the transaction). */
  needsNumber: boolean;
}

const fail = (p: Proposal, action: ProposalAction): never => {
  throw new Conflict(`当前状态不允许此操作 / ${action} is not allowed while the proposal is ${p.state}`, {
    state: p.state,
    action,
  });
};

/** Who may see a proposal at all: drafts only their author; a department what is assigned to it. */
export const canView = (actor: Principal, p: Proposal): boolean => {
  if (!isPublished(p.state)) return actor.sub === p.author.id;
  if (actor.sub === p.author.id || hasAnyRole(actor, 'delegate', 'committee', 'chair', 'admin')) return true;
  if (actor.roles.has('department') && actor.department && p.assignment) {
    return (
      p.assignment.department === actor.department ||
      p.assignment.supportingDepartments.includes(actor.department)
    );
  }
  return false;
};

/** The role check of each action, before the state or the body is looked at. */
export const authoriseAction = (actor: Principal, p: Proposal, action: ProposalAction) => {
  const isAuthor = actor.sub === p.author.id;
  switch (action) {
    case 'submit':
    case 'withdraw':
    case 'feedback':
      if (!isAuthor) throw new Forbidden('仅提案人可操作 / Only the proposer may do this');
      return;
    case 'second':
      if (!actor.roles.has('delegate')) throw new Forbidden('仅代表可附议 / Only delegates second proposals');
      if (isAuthor) throw new Forbidden('不能附议自己的提案 / You cannot second your own proposal');
      return;
    case 'review':
      if (!actor.roles.has('committee'))
        throw new Forbidden('仅提案委员会可审查 / Only the proposal committee reviews');
      return;
    case 'assign':
      if (!hasAnyRole(actor, 'committee', 'chair'))
        throw new Forbidden('仅提案委员会或主席可交办 / Only the committee or the chair assigns');
      return;
    case 'answer':
      if (
        !actor.roles.has('department') ||
        !actor.department ||
        actor.department !== p.assignment?.department
      ) {
        throw new Forbidden('仅主办单位可答复 / Only the lead department answers');
      }
      return;
  }
};

export const transition = (
  p: Proposal,
  input: ActionInput,
  actor: Principal,
  policy: ProposalPolicy,
  now: Date,
): TransitionResult => {
  // Someone who may not see a draft learns nothing about it, not even that it exists.
  if (!canView(actor, p)) throw new Forbidden('无权操作此提案 / You may not act on this proposal');
  authoriseAction(actor, p, input.action);
  if (!ALLOWED_FROM[input.action].includes(p.state)) fail(p, input.action);
  const at = now.toISOString();
  const next: Proposal = structuredClone(p);
  next.updatedAt = at;
  next.version = p.version + 1;
  const done = (event: string, needsNumber = false): TransitionResult => ({ next, event, needsNumber });

  switch (input.action) {
    case 'submit':
      next.state = 'submitted';
      next.submittedAt = at;
      if (policy.secondersRequired <= 0) next.state = 'under_review';
      return done('ProposalSubmitted');
    case 'second':
      if (p.seconders.some((s) => s.id === actor.sub)) {
        throw new Conflict('您已附议 / You have already seconded this proposal', {
          state: p.state,
          action: 'second',
        });
      }
      next.seconders.push({ id: actor.sub });
      if (next.seconders.length >= policy.secondersRequired) {
        next.state = 'under_review';
        return done('ProposalUnderReview');
      }
      return done('ProposalSeconded');
    case 'withdraw':
      next.state = 'withdrawn';
      next.withdrawal = { reason: input.reason, at };
      return done('ProposalWithdrawn');
    case 'review': {
      const reason = input.reason?.trim() || null;
      if (input.decision === 'reject' && !reason) {
        throw new InvalidInput('不予立案须说明理由 / A reason is required to reject', {
          errors: [{ field: 'reason', message: 'required when decision is reject' }],
        });
      }
      if (input.decision === 'merge' && (!input.mergeInto || input.mergeInto === p.id)) {
        throw new InvalidInput('并案须指定另一提案 / Merging needs another proposal', {
          errors: [{ field: 'mergeInto', message: 'required, and not this proposal' }],
        });
      }
      next.review = {
        decision: input.decision,
        reason,
        mergeInto: input.mergeInto ?? null,
        by: actor.sub,
        at,
      };
      const outcome = {
        register: 'registered',
        merge: 'merged',
        convert: 'converted',
        reject: 'not_registered',
      } as const;
      next.state = outcome[input.decision];
      const events = {
        register: 'ProposalRegistered',
        merge: 'ProposalMerged',
        convert: 'ProposalConverted',
        reject: 'ProposalRejected',
      } as const;
      return done(events[input.decision], input.decision === 'register');
    }
    case 'assign':
      if (input.dueDate < at.slice(0, 10)) {
        throw new InvalidInput('办理期限不能早于今天 / The due date is in the past', {
          errors: [{ field: 'dueDate', message: 'must not be in the past' }],
        });
      }
      next.state = 'assigned';
      next.assignment = {
        department: input.department,
        supportingDepartments: [...new Set(input.supportingDepartments ?? [])].filter(
          (d) => d !== input.department,
        ),
        dueDate: input.dueDate,
        assignedAt: at,
        round: 1,
      };
      return done('ProposalAssigned');
    case 'answer':
      next.state = 'answered';
      next.answer = {
        content: input.content,
        cost: input.cost ?? null,
        period: input.period ?? null,
        by: actor.sub,
        at,
      };
      return done('ProposalAnswered');
    case 'feedback': {
      const round = p.assignment?.round ?? 1;
      const rating = { rating: input.rating, comment: input.comment ?? null, at };
      next.feedback = rating;
      next.ratings.push({ ...rating, round });
      if (input.rating !== 'dissatisfied' || round > policy.maxReassignments) {
        next.state = 'closed';
        next.closedAt = at;
        return done('ProposalClosed');
      }
      // Dissatisfied: back to the department for another answer, with as long again to give it.
      const previous = p.assignment!;
      const days = Math.max(
        1,
        Math.round(
          (Date.parse(previous.dueDate) - Date.parse(previous.assignedAt.slice(0, 10))) / 86_400_000,
        ),
      );
      const dueDate = new Date(Date.parse(at.slice(0, 10)) + days * 86_400_000).toISOString().slice(0, 10);
      next.state = 'assigned';
      next.answer = null;
      next.assignment = { ...previous, assignedAt: at, dueDate, round: round + 1 };
      return done('ProposalReassigned');
    }
  }
};
