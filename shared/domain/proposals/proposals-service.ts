/**
 * The proposals API's use cases. Each change loads the proposal, checks the caller's version
 * (If-Match), applies the state machine, and stores the proposal, its history entry and its
 * domain event in one transaction (with the session's counter when it registers).
 */
import type { DomainEvent } from '../../../events/domain.ts';
import { PROPOSALS_SOURCE } from '../../../events/proposals.ts';
import { Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed } from '../errors.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import {
  formatProposalNumber,
  isPublished,
  PROPOSAL_STATES,
  type Proposal,
  type ProposalAction,
  type ProposalState,
} from './proposal.ts';
import {
  type ActionInput,
  authoriseAction,
  canView,
  type ProposalPolicy,
  transition,
} from './transitions.ts';

export interface HistoryEntry {
  proposalId: string;
  version: number;
  action: ProposalAction | 'create' | 'edit';
  from: ProposalState | null;
  to: ProposalState;
  by: string;
  at: string;
  details: Record<string, unknown>;
}

export interface ProposalListQuery {
  state?: ProposalState;
  session?: string;
  department?: string;
  author?: string;
  /** Include the caller's own drafts (only when listing their own proposals). */
  includeDraftsOf?: string;
  limit: number;
  cursor?: string;
}

export interface ProposalStore {
  get(id: string): Promise<Proposal | undefined>;
  lastNumber(session: string): Promise<number>;
  save(write: {
    proposal: Proposal;
    history: HistoryEntry;
    event: DomainEvent;
    counter?: { session: string; previous: number; next: number };
  }): Promise<'saved' | 'conflict'>;
  history(id: string): Promise<HistoryEntry[]>;
  list(query: ProposalListQuery): Promise<{ items: Proposal[]; cursor?: string }>;
  /** Every published proposal of a session (reports, export). */
  session(session: string): Promise<Proposal[]>;
  /** Assigned proposals due on or before a date (reminders). */
  dueBy(date: string): Promise<Proposal[]>;
  /** Stores an event alone, once per event id (reminders); false if it was stored before. */
  emitOnce(event: DomainEvent): Promise<boolean>;
}

export interface Directory {
  /** Work emails of members, by 工号. */
  emails(ids: string[]): Promise<Map<string, { email: string; name?: string }>>;
  departmentEmail(code: string): Promise<string | undefined>;
}

export interface ProposalDeps {
  store: ProposalStore;
  directory: Directory;
  policy: ProposalPolicy;
  /** The congress session new proposals belong to unless they say otherwise. */
  currentSession: string;
  now: () => Date;
  newId: () => string;
}

export type Input<T> = () => T;

const VIEW_ROLES = ['delegate', 'committee', 'department', 'chair', 'admin'] as const;

/** What the API shows: the proposal with its ETag version. */
export const proposalView = (p: Proposal) => ({ ...p });

export const createProposal = async (
  actor: Principal,
  body: Input<{ title: string; content: string; category?: string; session?: string }>,
  deps: ProposalDeps,
) => {
  if (!actor.roles.has('delegate')) throw new Forbidden('仅代表可提交提案 / Only delegates file proposals');
  const input = body();
  const at = deps.now().toISOString();
  const proposal: Proposal = {
    id: deps.newId(),
    number: null,
    session: input.session ?? deps.currentSession,
    state: 'draft',
    title: input.title,
    content: input.content,
    category: input.category ?? null,
    author: { id: actor.sub },
    seconders: [],
    review: null,
    assignment: null,
    answer: null,
    feedback: null,
    ratings: [],
    withdrawal: null,
    submittedAt: null,
    closedAt: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const history: HistoryEntry = {
    proposalId: proposal.id,
    version: 1,
    action: 'create',
    from: null,
    to: 'draft',
    by: actor.sub,
    at,
    details: {},
  };
  const event = changeEvent(proposal, history, 'ProposalDrafted', [], undefined, deps);
  if ((await deps.store.save({ proposal, history, event })) !== 'saved')
    throw new Conflict('请重试 / Try again');
  return proposal;
};

/** Drafts of others are not found (their existence is private); other hidden proposals are forbidden. */
const loadVisible = async (actor: Principal, id: string, deps: ProposalDeps) => {
  const p = await deps.store.get(id);
  if (!p || (!isPublished(p.state) && p.author.id !== actor.sub))
    throw new NotFound('提案不存在 / No such proposal');
  if (!canView(actor, p)) throw new Forbidden('无权查看此提案 / You may not see this proposal');
  return p;
};

export const getProposal = (actor: Principal, id: string, deps: ProposalDeps) => loadVisible(actor, id, deps);

export const proposalHistory = async (actor: Principal, id: string, deps: ProposalDeps) => {
  await loadVisible(actor, id, deps);
  return { items: await deps.store.history(id) };
};

/** `"v3"` ↔ 3; a weak or quoted tag is accepted as clients send it. */
export const etagOf = (p: Proposal) => `"v${p.version}"`;
const versionFromIfMatch = (ifMatch: string | undefined): number | undefined => {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const m = /^(?:W\/)?"?v?(\d+)"?$/.exec(ifMatch.trim());
  if (!m)
    throw new InvalidInput('If-Match 无效 / If-Match must be the ETag of the proposal', {
      errors: [{ field: 'If-Match', message: 'invalid' }],
    });
  return Number(m[1]);
};

export const actOnProposal = async (
  actor: Principal,
  id: string,
  action: ProposalAction,
  body: Input<ActionInput>,
  ifMatch: string | undefined,
  deps: ProposalDeps,
) => {
  const expected = versionFromIfMatch(ifMatch);
  let input: ActionInput | undefined;
  for (let attempt = 1; ; attempt++) {
    const p = await loadVisible(actor, id, deps);
    if (expected !== undefined && expected !== p.version) {
      throw new PreconditionFailed('提案已被修改，请刷新后重试 / The proposal changed since you read it', {
        version: p.version,
        state: p.state,
      });
    }
    const now = deps.now();
    // Who may act comes first (403), then what they sent (400), then the state (409).
    authoriseAction(actor, p, action);
    input ??= body();
    if (input.action !== action) throw new InvalidInput('操作不匹配 / Action mismatch');
    if (input.action === 'review' && input.decision === 'merge' && input.mergeInto) {
      const target = await deps.store.get(input.mergeInto);
      if (!target || !isPublished(target.state) || target.session !== p.session || target.id === p.id) {
        throw new InvalidInput(
          '并入的提案无效 / mergeInto must be another published proposal of the same session',
          {
            errors: [{ field: 'mergeInto', message: 'no such proposal in this session' }],
          },
        );
      }
    }
    const result = transition(p, input, actor, deps.policy, now);
    let counter: { session: string; previous: number; next: number } | undefined;
    if (result.needsNumber) {
      const previous = await deps.store.lastNumber(p.session);
      counter = { session: p.session, previous, next: previous + 1 };
      result.next.number = formatProposalNumber(p.session, previous + 1);
    }
    const history: HistoryEntry = {
      proposalId: p.id,
      version: result.next.version,
      action,
      from: p.state,
      to: result.next.state,
      by: actor.sub,
      at: now.toISOString(),
      details: historyDetails(input),
    };
    const people = [result.next.author.id, ...result.next.seconders.map((s) => s.id)];
    const emails = await deps.directory.emails(people);
    const recipients = people.flatMap((pid) => {
      const e = emails.get(pid);
      return e ? [{ id: pid, email: e.email, ...(e.name ? { name: e.name } : {}) }] : [];
    });
    const department =
      result.event === 'ProposalAssigned' || result.event === 'ProposalReassigned'
        ? await departmentOf(result.next, deps)
        : undefined;
    const event = changeEvent(result.next, history, result.event, recipients, department, deps);
    const saved = await deps.store.save({
      proposal: result.next,
      history,
      event,
      ...(counter ? { counter } : {}),
    });
    if (saved === 'saved') return result.next;
    // Someone else changed it (or took the number) meanwhile: with If-Match that is a 412, else try again.
    if (expected !== undefined) {
      throw new PreconditionFailed('提案已被修改，请刷新后重试 / The proposal changed since you read it');
    }
    if (attempt >= 5) throw new Conflict('提案正被频繁修改，请重试 / The proposal is busy; try again');
  }
};

/**
 * The author edits their draft (title, content, category). Only a draft: once submitted, others
 * second what they read, so the text is frozen (409). If-Match as for the actions: a stale one 412.
 */
export const editDraft = async (
  actor: Principal,
  id: string,
  body: Input<{ title?: string; content?: string; category?: string | null }>,
  ifMatch: string | undefined,
  deps: ProposalDeps,
) => {
  const expected = versionFromIfMatch(ifMatch);
  const p = await loadVisible(actor, id, deps);
  if (p.author.id !== actor.sub) throw new Forbidden('仅提案人可修改 / Only the proposer edits a proposal');
  if (expected !== undefined && expected !== p.version) {
    throw new PreconditionFailed('提案已被修改，请刷新后重试 / The proposal changed since you read it', {
      version: p.version,
      state: p.state,
    });
  }
  if (p.state !== 'draft') {
    throw new Conflict(`只能修改草稿 / Only a draft can be edited; the proposal is ${p.state}`, {
      state: p.state,
      action: 'edit',
    });
  }
  const input = body();
  const at = deps.now().toISOString();
  const next: Proposal = {
    ...p,
    title: input.title ?? p.title,
    content: input.content ?? p.content,
    category: input.category === undefined ? p.category : input.category,
    updatedAt: at,
    version: p.version + 1,
  };
  const history: HistoryEntry = {
    proposalId: p.id,
    version: next.version,
    action: 'edit',
    from: 'draft',
    to: 'draft',
    by: actor.sub,
    at,
    details: { fields: Object.keys(input).sort() },
  };
  const event = changeEvent(next, history, 'ProposalEdited', [], undefined, deps);
  if ((await deps.store.save({ proposal: next, history, event })) !== 'saved') {
    throw new PreconditionFailed('提案已被修改，请刷新后重试 / The proposal changed since you read it');
  }
  return next;
};

const departmentOf = async (p: Proposal, deps: ProposalDeps) => {
  const a = p.assignment!;
  const email = await deps.directory.departmentEmail(a.department);
  return { code: a.department, dueDate: a.dueDate, ...(email ? { email } : {}) };
};

const historyDetails = (input: ActionInput): Record<string, unknown> => {
  const { action: _a, ...rest } = input;
  // The answer's and a comment's full text live on the proposal; the history keeps the facts.
  if (input.action === 'answer') return { cost: input.cost ?? null, period: input.period ?? null };
  return rest;
};

const changeEvent = (
  p: Proposal,
  h: HistoryEntry,
  detailType: string,
  recipients: Array<{ id: string; email: string; name?: string }>,
  department: { code: string; email?: string; dueDate: string } | undefined,
  deps: ProposalDeps,
): DomainEvent => ({
  source: PROPOSALS_SOURCE,
  detailType,
  detail: {
    eventId: deps.newId(),
    occurredAt: h.at,
    version: 1,
    proposalId: p.id,
    number: p.number,
    title: p.title,
    session: p.session,
    from: h.from ?? 'none',
    to: h.to,
    action: h.action,
    by: h.by,
    recipients,
    ...(department ? { department } : {}),
    reason: p.review?.reason ?? p.withdrawal?.reason ?? null,
  },
});

export type ProposalFilters = Omit<ProposalListQuery, 'includeDraftsOf'>;

export const listProposals = async (
  actor: Principal,
  queryInput: Input<ProposalFilters>,
  deps: ProposalDeps,
) => {
  if (!hasAnyRole(actor, ...VIEW_ROLES)) throw new Forbidden('无权查看提案 / You may not list proposals');
  let query: ProposalListQuery = queryInput();
  const onlyDepartment =
    actor.roles.has('department') && !hasAnyRole(actor, 'delegate', 'committee', 'chair', 'admin');
  if (onlyDepartment) {
    if (query.department !== undefined && query.department !== actor.department) {
      throw new Forbidden('只能查看交办本单位的提案 / Departments see what is assigned to them');
    }
    query = { ...query, department: actor.department ?? '-' };
  }
  if (query.author === actor.sub) query = { ...query, includeDraftsOf: actor.sub };
  const page = await deps.store.list(query);
  return { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
};

const REPORT_ROLES = ['committee', 'chair', 'admin'] as const;

/** End of the due date in Asia/Shanghai: an answer that day is on time. */
const answeredOnTime = (p: Proposal, answerAt: string) =>
  p.assignment !== null && Date.parse(answerAt) < Date.parse(`${p.assignment.dueDate}T24:00:00+08:00`);

export const proposalReport = async (actor: Principal, session: Input<string>, deps: ProposalDeps) => {
  if (!hasAnyRole(actor, ...REPORT_ROLES))
    throw new Forbidden('仅提案委员会、主席、管理员 / Committee, chair and admins only');
  const s = session();
  const all = await deps.store.session(s);
  const byState = Object.fromEntries(
    PROPOSAL_STATES.filter((state) => isPublished(state)).map((state) => [
      state,
      all.filter((p) => p.state === state).length,
    ]),
  );
  const answered = all.filter((p) => p.answer !== null || p.ratings.length > 0);
  const firstAnswers = answered.filter((p) => p.answer && answeredOnTime(p, p.answer.at));
  const finalRatings = all.filter((p) => p.state === 'closed' && p.feedback).map((p) => p.feedback!.rating);
  const count = (r: string) => finalRatings.filter((x) => x === r).length;
  const rated = finalRatings.length;
  return {
    session: s,
    total: all.length,
    byState,
    answered: answered.length,
    answeredOnTime: firstAnswers.length,
    satisfaction: {
      rated,
      satisfied: count('satisfied'),
      basicallySatisfied: count('basically_satisfied'),
      dissatisfied: count('dissatisfied'),
      /** Share of closed proposals rated satisfied or basically satisfied. */
      satisfiedShare: rated ? (count('satisfied') + count('basically_satisfied')) / rated : null,
    },
  };
};

export const exportRows = async (
  actor: Principal,
  session: Input<string | undefined>,
  deps: ProposalDeps,
) => {
  if (!hasAnyRole(actor, ...REPORT_ROLES))
    throw new Forbidden('仅提案委员会、主席、管理员 / Committee, chair and admins only');
  const s = session() ?? deps.currentSession;
  const all = await deps.store.session(s);
  return all.map((p) => ({
    number: p.number ?? '',
    id: p.id,
    session: p.session,
    state: p.state,
    title: p.title,
    category: p.category ?? '',
    author: p.author.id,
    seconders: p.seconders.map((x) => x.id).join(' '),
    department: p.assignment?.department ?? '',
    supportingDepartments: p.assignment?.supportingDepartments.join(' ') ?? '',
    dueDate: p.assignment?.dueDate ?? '',
    answeredAt: p.answer?.at ?? '',
    rating: p.feedback?.rating ?? '',
    submittedAt: p.submittedAt ?? '',
    closedAt: p.closedAt ?? '',
  }));
};

/**
 * The daily reminder: every assigned proposal due within three days, or overdue, gets one
 * reminder to its lead department per day, however often the job runs that day.
 */
export const remindDepartments = async (date: string, deps: ProposalDeps) => {
  const horizon = new Date(Date.parse(date) + 3 * 86_400_000).toISOString().slice(0, 10);
  let sent = 0;
  let skipped = 0;
  for (const p of await deps.store.dueBy(horizon)) {
    const email = await deps.directory.departmentEmail(p.assignment!.department);
    if (!email) {
      skipped++;
      continue;
    }
    const stored = await deps.store.emitOnce({
      source: PROPOSALS_SOURCE,
      detailType: 'ProposalReminderDue',
      detail: {
        eventId: `remind-${p.id}-${date}`,
        occurredAt: deps.now().toISOString(),
        version: 1,
        proposalId: p.id,
        number: p.number,
        title: p.title,
        department: { code: p.assignment!.department, email },
        dueDate: p.assignment!.dueDate,
        date,
        overdue: p.assignment!.dueDate < date,
      },
    });
    if (stored) sent++;
    else skipped++;
  }
  return { date, reminded: sent, skipped };
};
