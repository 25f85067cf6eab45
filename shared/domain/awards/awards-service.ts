/**
 * The awards use cases. A nomination is one item per nominee (a member is nominated once per
 * award); a vote is one item per voter, written in one transaction with the count on the
 * nomination it is for (so a member votes once, and the counts are the votes). The vote item
 * does not say whom it was for: the ballot stays secret, the count stays exact.
 */

import { AWARDS_SOURCE } from '../../../events/awards.ts';
import type { DomainEvent } from '../../../events/domain.ts';
import { dayAfter } from '../activities/activity.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.ts';
import { isActiveMember, type MemberLookup, recipientOf } from '../member-lookup.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { shanghaiDate } from '../time.ts';
import { type Award, type AwardKind, awardPhase, awardProblems, type Nomination, tally } from './award.ts';

export interface AwardStore {
  get(id: string): Promise<Award | undefined>;
  list(): Promise<Award[]>;
  create(award: Award): Promise<void>;
  nomination(awardId: string, employeeId: string): Promise<Nomination | undefined>;
  nominations(awardId: string): Promise<Nomination[]>;
  /** 'exists' when the member was nominated for the award already. */
  addNomination(nomination: Nomination, event: DomainEvent): Promise<'saved' | 'exists'>;
  /** Stores the award (if still at version - 1), the shortlist flags that change and the event. */
  shortlist(write: {
    award: Award;
    changes: Array<{ nominationId: string; shortlisted: boolean }>;
    event: DomainEvent;
  }): Promise<'saved' | 'conflict'>;
  hasVoted(awardId: string, employeeId: string): Promise<boolean>;
  /** The vote (once per member) and +1 on the nomination, which must be shortlisted. */
  vote(write: {
    awardId: string;
    voter: string;
    nominationId: string;
    at: string;
    event: DomainEvent;
  }): Promise<'saved' | 'voted' | 'not_shortlisted' | 'conflict'>;
  /** Stores an event alone, once per event id (the results announcement); false if stored before. */
  emitOnce(event: DomainEvent): Promise<boolean>;
}

export interface AwardDeps {
  store: AwardStore;
  members: MemberLookup;
  now: () => Date;
  newId: () => string;
  pause?: (attempt: number) => Promise<void>;
}

type Input<T> = () => T;

/** A shortlist changes at most this many nominations at once (a transaction holds 100 items). */
export const MAX_SHORTLIST_CHANGES = 95;

const today = (deps: AwardDeps) => shanghaiDate(deps.now());

const load = async (id: string, deps: AwardDeps) => {
  const a = await deps.store.get(id);
  if (!a) throw new NotFound('评选不存在 / No such award');
  return a;
};

const PHASE_NAMES: Record<string, string> = {
  before: '提名尚未开始 / Nominations have not opened',
  nominating: '提名进行中 / Nominations are open',
  shortlisting: '提名已截止，投票尚未开始 / Between nominations and voting',
  voting: '投票进行中 / Voting is open',
  counting_closed: '投票已截止 / Voting has closed',
};

const wrongPhase = (a: Award, phase: string, want: string) =>
  new Conflict(`${PHASE_NAMES[phase]}：${PHASE_NAMES[want]?.split(' / ')[0]}时方可操作 / Not now`, {
    phase,
    nominationOpensOn: a.nominationOpensOn,
    nominationClosesOn: a.nominationClosesOn,
    votingOpensOn: a.votingOpensOn,
    votingClosesOn: a.votingClosesOn,
  });

export const awardView = (a: Award, day: string) => ({
  id: a.id,
  title: a.title,
  kind: a.kind,
  description: a.description,
  nominationOpensOn: a.nominationOpensOn,
  nominationClosesOn: a.nominationClosesOn,
  votingOpensOn: a.votingOpensOn,
  votingClosesOn: a.votingClosesOn,
  places: a.places,
  phase: awardPhase(a, day),
  shortlistedAt: a.shortlistedAt,
  createdAt: a.createdAt,
});

export interface CreateAwardInput {
  title: string;
  kind: AwardKind;
  description?: string;
  nominationOpensOn: string;
  nominationClosesOn: string;
  votingOpensOn: string;
  votingClosesOn: string;
  places: number;
}

export const createAward = async (actor: Principal, body: Input<CreateAwardInput>, deps: AwardDeps) => {
  if (!hasAnyRole(actor, 'chair', 'admin'))
    throw new Forbidden('仅主席、管理员可发起评选 / The chair and admins create awards');
  const input = body();
  const problems = awardProblems(input);
  if (problems.length)
    throw new InvalidInput('评选日期或名额有误 / Invalid windows or places', { errors: problems });
  const award: Award = {
    id: deps.newId(),
    title: input.title,
    kind: input.kind,
    description: input.description ?? null,
    nominationOpensOn: input.nominationOpensOn,
    nominationClosesOn: input.nominationClosesOn,
    votingOpensOn: input.votingOpensOn,
    votingClosesOn: input.votingClosesOn,
    places: input.places,
    createdBy: actor.sub,
    createdAt: deps.now().toISOString(),
    shortlistedAt: null,
    shortlistedBy: null,
    version: 1,
  };
  await deps.store.create(award);
  return awardView(award, today(deps));
};

export const listAwards = async (_actor: Principal, deps: AwardDeps) => ({
  items: (await deps.store.list()).map((a) => awardView(a, today(deps))),
});

const shortlistView = (n: Nomination) => ({
  nominationId: n.id,
  employeeId: n.employeeId,
  name: n.name,
  branch: n.branch,
  branchName: n.branchName,
  citation: n.citation,
});

/** The award, its shortlist once there is one (what members vote on), and whether the caller voted. */
export const getAward = async (actor: Principal, id: string, deps: AwardDeps) => {
  const a = await load(id, deps);
  const shortlist = a.shortlistedAt
    ? (await deps.store.nominations(id)).filter((n) => n.shortlisted).map(shortlistView)
    : [];
  return { ...awardView(a, today(deps)), shortlist, voted: await deps.store.hasVoted(id, actor.sub) };
};

/** Officers nominate members of their branch (the chair and admins anyone), inside the window. */
export const nominate = async (
  actor: Principal,
  id: string,
  body: Input<{ employeeId: string; citation: string }>,
  deps: AwardDeps,
) => {
  const chairOrAdmin = hasAnyRole(actor, 'chair', 'admin');
  if (!chairOrAdmin && !(actor.roles.has('officer') && actor.branch))
    throw new Forbidden('仅分工会干部、主席、管理员可提名 / Officers nominate');
  const a = await load(id, deps);
  const input = body();
  const phase = awardPhase(a, today(deps));
  if (phase !== 'nominating') throw wrongPhase(a, phase, 'nominating');
  const nominee = (await deps.members.many([input.employeeId])).get(input.employeeId);
  if (!isActiveMember(nominee) || !nominee.branch)
    throw new InvalidInput('被提名人不是在册会员 / The nominee is not a member', {
      errors: [{ field: 'employeeId', message: '该工号不是在册会员 / not an active member' }],
    });
  if (!chairOrAdmin && nominee.branch.code !== actor.branch)
    throw new Forbidden('只能提名本分工会会员 / Officers nominate members of their own branch');
  const at = deps.now().toISOString();
  const nomination: Nomination = {
    id: nominee.employeeId,
    awardId: a.id,
    employeeId: nominee.employeeId,
    name: nominee.name ?? null,
    branch: nominee.branch.code,
    branchName: nominee.branch.name,
    citation: input.citation,
    nominatedBy: actor.sub,
    nominatedAt: at,
    shortlisted: false,
    votes: 0,
  };
  const saved = await deps.store.addNomination(nomination, {
    source: AWARDS_SOURCE,
    detailType: 'AwardNominated',
    detail: {
      eventId: deps.newId(),
      occurredAt: at,
      version: 1,
      awardId: a.id,
      title: a.title,
      nominationId: nomination.id,
      employeeId: nomination.employeeId,
      branch: nomination.branch,
      by: actor.sub,
      votingOpensOn: a.votingOpensOn,
      recipient: recipientOf(nominee),
    },
  });
  if (saved === 'exists') throw new Conflict('已被提名 / Already nominated for this award');
  return shortlistView(nomination);
};

/** The nominations: the committee, the chair and admins all; an officer those of their branch. */
export const listNominations = async (actor: Principal, id: string, deps: AwardDeps) => {
  const all = hasAnyRole(actor, 'committee', 'chair', 'admin');
  if (!all && !(actor.roles.has('officer') && actor.branch))
    throw new Forbidden('无权查看提名 / You may not see the nominations');
  const a = await load(id, deps);
  const nominations = (await deps.store.nominations(a.id)).filter((n) => all || n.branch === actor.branch);
  return {
    items: nominations
      .sort((x, y) => x.nominatedAt.localeCompare(y.nominatedAt))
      .map((n) => ({ ...shortlistView(n), shortlisted: n.shortlisted, nominatedBy: n.nominatedBy })),
  };
};

/**
 * The committee (or the chair) shortlists, between the nomination and the voting windows; it may
 * shortlist again until voting opens. The nominees newly on the list are mailed.
 */
export const shortlist = async (
  actor: Principal,
  id: string,
  body: Input<{ nominationIds: string[] }>,
  deps: AwardDeps,
) => {
  if (!hasAnyRole(actor, 'committee', 'chair'))
    throw new Forbidden('仅评审委员会或主席可确定候选名单 / The committee shortlists');
  let input: { nominationIds: string[] } | undefined;
  for (let attempt = 1; ; attempt++) {
    const a = await load(id, deps);
    input ??= body();
    const phase = awardPhase(a, today(deps));
    if (phase !== 'shortlisting') throw wrongPhase(a, phase, 'shortlisting');
    const nominations = await deps.store.nominations(a.id);
    const chosen = new Set(input.nominationIds);
    const unknown = [...chosen].filter((nid) => !nominations.some((n) => n.id === nid));
    if (unknown.length)
      throw new InvalidInput('候选名单中有未被提名的人 / Not every id is a nomination of this award', {
        errors: [
          {
            field: 'nominationIds',
            message: `有 ${unknown.length} 人未被提名 / not nominated: ${unknown.length}`,
          },
        ],
      });
    const changes = nominations
      .filter((n) => n.shortlisted !== chosen.has(n.id))
      .map((n) => ({ nominationId: n.id, shortlisted: chosen.has(n.id) }));
    if (changes.length > MAX_SHORTLIST_CHANGES)
      throw new Conflict(
        `一次最多调整 ${MAX_SHORTLIST_CHANGES} 人 / At most ${MAX_SHORTLIST_CHANGES} changes at once`,
      );
    const added = changes.filter((c) => c.shortlisted).map((c) => c.nominationId);
    const people = await deps.members.many(added);
    const at = deps.now().toISOString();
    const next: Award = { ...a, shortlistedAt: at, shortlistedBy: actor.sub, version: a.version + 1 };
    const saved = await deps.store.shortlist({
      award: next,
      changes,
      event: {
        source: AWARDS_SOURCE,
        detailType: 'AwardShortlisted',
        detail: {
          eventId: deps.newId(),
          occurredAt: at,
          version: 1,
          awardId: a.id,
          title: a.title,
          by: actor.sub,
          votingOpensOn: a.votingOpensOn,
          votingClosesOn: a.votingClosesOn,
          shortlisted: added.map((employeeId) => ({
            employeeId,
            recipient: recipientOf(people.get(employeeId)),
          })),
        },
      },
    });
    if (saved === 'saved') return { shortlisted: chosen.size, changed: changes.length };
    if (attempt >= 5) throw new Conflict('候选名单正被修改，请重试 / The shortlist is busy; try again');
  }
};

/** A member votes once per award, for a shortlisted nomination, inside the voting window. */
export const vote = async (
  actor: Principal,
  id: string,
  body: Input<{ nominationId: string }>,
  deps: AwardDeps,
) => {
  const member = (await deps.members.many([actor.sub])).get(actor.sub);
  if (!isActiveMember(member)) throw new Forbidden('仅在册会员可投票 / Members vote');
  const a = await load(id, deps);
  const input = body();
  const phase = awardPhase(a, today(deps));
  if (phase !== 'voting') throw wrongPhase(a, phase, 'voting');
  const notOnList = () =>
    new InvalidInput('该提名不在候选名单中 / Not on the shortlist', {
      errors: [{ field: 'nominationId', message: '不在候选名单中 / not shortlisted' }],
    });
  if (await deps.store.hasVoted(a.id, actor.sub)) throw new Conflict('您已投票 / You have voted already');
  const nomination = await deps.store.nomination(a.id, input.nominationId);
  if (!nomination?.shortlisted) throw notOnList();
  for (let attempt = 1; ; attempt++) {
    const at = deps.now().toISOString();
    const result = await deps.store.vote({
      awardId: a.id,
      voter: actor.sub,
      nominationId: nomination.id,
      at,
      event: {
        source: AWARDS_SOURCE,
        detailType: 'AwardVoted',
        detail: {
          eventId: deps.newId(),
          occurredAt: at,
          version: 1,
          awardId: a.id,
          nominationId: nomination.id,
        },
      },
    });
    if (result === 'saved') return { voted: true };
    if (result === 'voted') throw new Conflict('您已投票 / You have voted already');
    if (result === 'not_shortlisted') throw notOnList();
    // Other votes on the same nomination at the same moment: try again.
    if (attempt >= 20) throw new Conflict('投票人数过多，请重试 / Busy; try again');
    await (deps.pause ?? ((n) => new Promise<void>((r) => setTimeout(r, Math.random() * 10 * n))))(attempt);
  }
};

/** After the voting window: the shortlisted with their counts, ranked, and who is awarded. */
export const results = async (_actor: Principal, id: string, deps: AwardDeps) => {
  const a = await load(id, deps);
  const phase = awardPhase(a, today(deps));
  if (phase !== 'counting_closed')
    throw new Conflict(
      `投票截止（${a.votingClosesOn}）后公布结果 / Results after voting closes on ${a.votingClosesOn}`,
      {
        phase,
        votingClosesOn: a.votingClosesOn,
      },
    );
  return { award: awardView(a, today(deps)), ...tally(await deps.store.nominations(a.id), a.places) };
};

/** How long after the voting window the daily job still announces results it missed. */
export const RESULTS_CATCH_UP_DAYS = 30;

/**
 * The daily announcement: every award whose voting closed (within the last 30 days) has its
 * results announced once (the event id is the award): the awarded are mailed, the office gets
 * the counts. The counts are final: no vote is taken after the window.
 */
export const announceResults = async (date: string, deps: AwardDeps) => {
  let announced = 0;
  let skipped = 0;
  const since = new Date(Date.parse(`${date}T00:00:00Z`) - RESULTS_CATCH_UP_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  for (const a of await deps.store.list()) {
    if (awardPhase(a, date) !== 'counting_closed' || dayAfter(a.votingClosesOn) < since) continue;
    const t = tally(await deps.store.nominations(a.id), a.places);
    const people = await deps.members.many(t.results.filter((r) => r.awarded).map((r) => r.employeeId));
    const stored = await deps.store.emitOnce({
      source: AWARDS_SOURCE,
      detailType: 'AwardResultsPublished',
      detail: {
        eventId: `award-results-${a.id}`,
        occurredAt: deps.now().toISOString(),
        version: 1,
        awardId: a.id,
        title: a.title,
        places: a.places,
        votingClosesOn: a.votingClosesOn,
        totalVotes: t.totalVotes,
        tieAtCutoff: t.tieAtCutoff,
        results: t.results.map((r) => ({
          employeeId: r.employeeId,
          name: r.name,
          votes: r.votes,
          rank: r.rank,
          awarded: r.awarded,
          recipient: r.awarded ? recipientOf(people.get(r.employeeId)) : null,
        })),
      },
    });
    if (stored) announced++;
    else skipped++;
  }
  return { date, announced, skipped };
};
