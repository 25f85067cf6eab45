/**
 * Suggestions (建言献策): any member posts one; officers and staff-congress delegates read them;
 * a delegate may take one up as a proposal draft of their own, through the proposals context's
 * own use case (createProposal). A suggestion becomes at most one proposal: it is claimed for the
 * proposal's id first (a conditional write), so two delegates converting at once get one draft
 * and one 409.
 */
import type { DomainEvent } from '../../../events/domain.ts';
import { VOICE_SOURCE } from '../../../events/voice.ts';
import { Conflict, Forbidden, NotFound } from '../errors.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { createProposal, type ProposalDeps } from '../proposals/proposals-service.ts';
import type { People } from './letters.ts';

export interface Suggestion {
  id: string;
  author: string;
  title: string;
  text: string;
  createdAt: string;
  /** The proposal draft a delegate made of it, if any. */
  proposalId: string | null;
  convertedBy: string | null;
  convertedAt: string | null;
}

export interface SuggestionStore {
  get(id: string): Promise<Suggestion | undefined>;
  add(s: Suggestion): Promise<void>;
  list(query: {
    author?: string;
    limit: number;
    cursor?: string;
  }): Promise<{ items: Suggestion[]; cursor?: string }>;
  /** Records the proposal on a suggestion not yet converted; false if it was. */
  claim(id: string, proposalId: string, by: string, at: string): Promise<boolean>;
  /** Undoes a claim whose proposal could not be made. */
  release(id: string, proposalId: string): Promise<void>;
  /** Stores an event alone, once per event id; false if it was stored before. */
  emitOnce(event: DomainEvent): Promise<boolean>;
}

export interface SuggestionDeps {
  store: SuggestionStore;
  people: People;
  proposals: ProposalDeps;
  now: () => Date;
  newId: () => string;
}

type Input<T> = () => T;

const READERS = ['officer', 'chair', 'admin', 'delegate'] as const;
const MEMBER_STATUSES = new Set(['active', 'retired']);
const notFound = () => new NotFound('建议不存在 / No such suggestion');

export const canSeeSuggestion = (actor: Principal, s: Suggestion) =>
  s.author === actor.sub || hasAnyRole(actor, ...READERS);

export const postSuggestion = async (
  actor: Principal,
  body: Input<{ title: string; text: string }>,
  deps: SuggestionDeps,
) => {
  const member = await deps.people.member(actor.sub);
  if (!member || !MEMBER_STATUSES.has(member.status))
    throw new Forbidden('仅会员可建言献策 / Only members post suggestions');
  const input = body();
  const s: Suggestion = {
    id: deps.newId(),
    author: actor.sub,
    title: input.title,
    text: input.text,
    createdAt: deps.now().toISOString(),
    proposalId: null,
    convertedBy: null,
    convertedAt: null,
  };
  await deps.store.add(s);
  return s;
};

/** Officers and delegates read every suggestion; everyone else their own. */
export const listSuggestions = async (
  actor: Principal,
  query: Input<{ mine?: boolean; limit: number; cursor?: string }>,
  deps: SuggestionDeps,
) => {
  const { mine, ...q } = query();
  const own = mine || !hasAnyRole(actor, ...READERS);
  return deps.store.list({ ...q, ...(own ? { author: actor.sub } : {}) });
};

export const getSuggestion = async (actor: Principal, id: string, deps: SuggestionDeps) => {
  const s = await deps.store.get(id);
  if (!s || !canSeeSuggestion(actor, s)) throw notFound();
  return s;
};

export const convertSuggestion = async (
  actor: Principal,
  id: string,
  body: Input<{ title?: string; content?: string; category?: string }>,
  deps: SuggestionDeps,
) => {
  if (!actor.roles.has('delegate'))
    throw new Forbidden('仅教代会代表可转为提案 / Only delegates turn suggestions into proposals');
  const s = await getSuggestion(actor, id, deps);
  const input = body();
  const taken = () =>
    new Conflict('此建议已转为提案 / This suggestion is a proposal already', { proposalId: s.proposalId });
  if (s.proposalId) throw taken();
  const proposalId = deps.proposals.newId();
  const at = deps.now().toISOString();
  if (!(await deps.store.claim(s.id, proposalId, actor.sub, at))) {
    const now = await deps.store.get(s.id);
    throw new Conflict('此建议已转为提案 / This suggestion is a proposal already', {
      proposalId: now?.proposalId ?? null,
    });
  }
  // The proposals context's own use case makes the draft, with the id claimed above.
  let first = true;
  const proposalDeps: ProposalDeps = {
    ...deps.proposals,
    newId: () => {
      if (!first) return deps.proposals.newId();
      first = false;
      return proposalId;
    },
  };
  try {
    const proposal = await createProposal(
      actor,
      () => ({
        title: input.title ?? s.title,
        content: input.content ?? s.text,
        ...(input.category ? { category: input.category } : {}),
      }),
      proposalDeps,
    );
    const author = await deps.people.member(s.author);
    // Once per suggestion (its id is the event's): a retried request never mails twice.
    await deps.store.emitOnce({
      source: VOICE_SOURCE,
      detailType: 'SuggestionAdopted',
      detail: {
        eventId: `adopted-${s.id}`,
        occurredAt: at,
        version: 1,
        suggestionId: s.id,
        title: s.title,
        proposalId,
        by: actor.sub,
        author: author?.email
          ? { id: s.author, email: author.email, ...(author.name ? { name: author.name } : {}) }
          : null,
      },
    });
    return { suggestion: { ...s, proposalId, convertedBy: actor.sub, convertedAt: at }, proposal };
  } catch (error) {
    await deps.store.release(s.id, proposalId);
    throw error;
  }
};
