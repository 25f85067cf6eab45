/**
 * The chair's dashboard (工会主席工作台): the year at a glance, computed on the server so the
 * page receives a few kilobytes, not the members or the ledger.
 *
 * - members by branch and status, and whom a holiday reaches: from the member census (census.ts),
 *   counts that every member write keeps, not the members themselves (20,000 members is what a
 *   large university has: reading them took seconds);
 * - this year's care against the caps, by category, month, branch and occasion: from the tallies
 *   each grant transaction writes (tally.ts), not from the ledger's entries;
 * - the congress session's proposals by state, and the overdue ones;
 * - letters to the chair still without an answer, and how long they have waited;
 * - the next holidays, their dispatch day from the care calendar (调休-aware, the policy's working
 *   days ahead) and how many members each will reach under the policy, and about what it costs.
 *
 * Officers see their own branch (members, care, holidays); the proposals and the mailbox are the
 * chair's (admins and the auditor read them too). Nothing here writes.
 */

import type { CalendarEntry } from '../care/calendar.ts';
import { CARE_CATEGORIES } from '../care/member-care.ts';
import {
  type CareCategory,
  type CarePolicy,
  decideGrant,
  type LifeEventKind,
  policyOn,
} from '../care/policy.ts';
import { LIFE_EVENT_NAMES } from '../care/requests.ts';
import { type CareSettings, careYear } from '../care/settings.ts';
import type { CareTallyRow } from '../care/tally.ts';
import { Forbidden } from '../errors.ts';
import { type CensusGroup, type CensusRows, floorAnswers, groupKey, sumCensus } from '../members/census.ts';
import type { MemberStatus } from '../members/member.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { isPublished, PROPOSAL_STATES, type Proposal, type ProposalState } from '../proposals/proposal.ts';
import { shanghaiDate } from '../time.ts';
import type { Letter } from '../voice/letters.ts';

export const MEMBER_STATUSES: readonly MemberStatus[] = [
  'active',
  'retired',
  'left',
  'transferred_out',
  'expelled',
];

/** What the dashboard reads of a member: enough to count them and to decide a holiday's reach. */
export interface MemberFacts {
  status?: MemberStatus;
  gender?: 'female' | 'male';
  joinedOn?: string;
  branch?: { code: string; name: string };
  /** Care granted per year and category (fen), for the years asked. */
  care?: Record<string, Partial<Record<'holiday' | 'birthday' | 'life', number>>>;
}

export interface DashboardReader {
  /** The member census (census.ts): the rollup and the tallies after it, and the rollup's floor. */
  census(): Promise<{ rows: CensusRows; floor: string }>;
  /** Every branch code members may sit in (the care fan-out's registry and the school union). */
  branches(): Promise<string[]>;
  /**
   * Every member of a branch, whatever their status, with their care totals of these years: read
   * only when the census cannot answer (a policy asking more days of membership than its floor keeps).
   */
  membersOf(branch: string, years: number[]): Promise<MemberFacts[]>;
  tallies(year: number): Promise<CareTallyRow[]>;
  settings(): Promise<CareSettings>;
  /** Published proposals of a congress session. */
  proposals(session: string): Promise<Proposal[]>;
  /** Open letters without an answer, written before an instant. */
  unansweredLetters(before: string): Promise<Letter[]>;
}

export interface DashboardDeps {
  reader: DashboardReader;
  /** The care calendar of a year under the settings (loads the lunar library: passed in, lazily). */
  calendar: (year: number, settings: CareSettings) => Promise<CalendarEntry[]>;
  currentSession: string;
  now: () => Date;
}

export interface DashboardQuery {
  year?: number;
  branch?: string;
  session?: string;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
/** Holidays shown ahead: those whose dispatch day is within this many days. */
export const HOLIDAY_HORIZON_DAYS = 366;
/** Branches read at once: enough to overlap their queries, few enough not to crowd the table. */
const BRANCHES_IN_FLIGHT = 8;

const emptyStatuses = () =>
  Object.fromEntries(MEMBER_STATUSES.map((s) => [s, 0])) as Record<MemberStatus, number>;

const inBatches = async <T, R>(items: T[], size: number, f: (t: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
};

/** The census counted member by member, from the branch index (the members as MemberFacts). */
export const censusOfFacts = (branch: string, members: MemberFacts[]): CensusRows =>
  sumCensus(
    members.map((m) => {
      const group: CensusGroup = {
        branch,
        status: m.status ?? '',
        gender: m.gender ?? '',
        joinedOn: m.joinedOn ?? '',
      };
      return {
        members: [{ ...group, branchName: m.branch?.name ?? branch, count: 1 }],
        care: Object.entries(m.care ?? {}).flatMap(([yr, totals]) =>
          Object.entries(totals ?? {}).flatMap(([category, spentFen]) =>
            spentFen && spentFen > 0
              ? [{ ...group, year: Number(yr), category: category as CareCategory, spentFen, count: 1 }]
              : [],
          ),
        ),
      };
    }),
  );

const liveCensus = async (reader: DashboardReader, branches: string[], years: number[]) =>
  sumCensus(
    await inBatches(branches, BRANCHES_IN_FLIGHT, async (b) =>
      censusOfFacts(b, await reader.membersOf(b, years)),
    ),
  );

export const dashboard = async (actor: Principal, queryInput: () => DashboardQuery, deps: DashboardDeps) => {
  const wide = hasAnyRole(actor, 'chair', 'admin', 'auditor');
  const officer = actor.roles.has('officer') && actor.branch !== undefined;
  if (!wide && !officer)
    throw new Forbidden('仅工会干部、经审可查看工作台 / Officers, the chair, admins and auditors only');
  const q = queryInput();
  if (!wide && q.branch !== undefined && q.branch !== actor.branch)
    throw new Forbidden('只能查看本分工会 / Officers see their own branch');
  const branchFilter = wide ? q.branch : actor.branch;
  const now = deps.now();
  const today = shanghaiDate(now);
  const year = q.year ?? Number(today.slice(0, 4));
  const session = q.session ?? deps.currentSession;

  const [settings, census, tallies, proposals, letters] = await Promise.all([
    deps.reader.settings(),
    deps.reader.census(),
    deps.reader.tallies(year),
    wide ? deps.reader.proposals(session) : Promise.resolve(undefined),
    wide ? deps.reader.unansweredLetters(now.toISOString()) : Promise.resolve(undefined),
  ]);
  const thisYear = Number(today.slice(0, 4));
  const y = careYear(settings);

  // ---- the next holidays (whom they reach is counted below)
  const horizon = new Date(Date.parse(today) + HOLIDAY_HORIZON_DAYS * DAY_MS).toISOString().slice(0, 10);
  const calendars = await Promise.all([thisYear, thisYear + 1].map((yr) => deps.calendar(yr, settings)));
  const upcoming = calendars
    .flatMap((entries, i) => entries.map((e) => ({ ...e, year: thisYear + i })))
    .filter((e) => e.dispatchDate >= today && e.dispatchDate <= horizon)
    .sort((a, b) => a.dispatchDate.localeCompare(b.dispatchDate) || a.occasion.localeCompare(b.occasion))
    .map((h) => {
      const p = y.policyOn(h.dispatchDate);
      return { ...h, policy: p, rule: y.ruleFor(p, h.occasion) };
    });

  // ---- the members: the census, unless a policy asks for more days of membership than it keeps
  const censusAnswers = upcoming.every(
    (h) => !h.rule?.enabled || floorAnswers(census.floor, h.dispatchDate, h.rule.minMembershipDays),
  );
  const counted = censusAnswers
    ? census.rows
    : await liveCensus(deps.reader, branchFilter ? [branchFilter] : await deps.reader.branches(), [
        ...new Set([year, thisYear, thisYear + 1]),
      ]);
  const rows = {
    members: counted.members.filter((r) => r.count > 0 && (!branchFilter || r.branch === branchFilter)),
    care: counted.care.filter((r) => r.count > 0 && (!branchFilter || r.branch === branchFilter)),
  };

  // ---- members by branch and status
  const branchNames = new Map<string, string>();
  const byBranch = new Map<string, Record<MemberStatus, number>>();
  for (const r of [...rows.members].sort((a, b) => a.count - b.count)) {
    // The name most of the branch's members carry (the last set wins: rows sorted by count).
    branchNames.set(r.branch, r.branchName);
    const counts = byBranch.get(r.branch) ?? emptyStatuses();
    if (r.status) counts[r.status] += r.count;
    byBranch.set(r.branch, counts);
  }
  const totals = emptyStatuses();
  for (const counts of byBranch.values()) for (const s of MEMBER_STATUSES) totals[s] += counts[s];

  // ---- care against the caps
  const capsOn = year === thisYear ? today : `${year}-12-31`;
  const policy: CarePolicy = policyOn(capsOn, settings.policies);
  const careRows = tallies.filter((r) => !branchFilter || r.branch === branchFilter);
  const countedNow = totals.active + totals.retired;
  const categories = CARE_CATEGORIES.map((category) => {
    const of = careRows.filter((r) => r.category === category);
    const capFen = policy.caps[category];
    return {
      category,
      spentFen: of.reduce((s, r) => s + r.amountFen, 0),
      grants: of.reduce((s, r) => s + r.granted, 0),
      reducedByCap: of.reduce((s, r) => s + r.reduced, 0),
      skippedCapReached: of.reduce((s, r) => s + r.skipped, 0),
      capFen,
      /** The most the cap allows for the members counted now (active and retired). */
      ceilingFen: capFen * countedNow,
      /** Members whose year's total in the category has reached the cap. */
      membersAtCap:
        capFen > 0
          ? rows.care
              .filter((r) => r.year === year && r.category === category && r.spentFen >= capFen)
              .reduce((n, r) => n + r.count, 0)
          : 0,
    };
  });
  const byMonth = MONTHS.map((month) => {
    const of = careRows.filter((r) => r.month === month);
    const fen = (c: string) => of.filter((r) => r.category === c).reduce((s, r) => s + r.amountFen, 0);
    return {
      month,
      holidayFen: fen('holiday'),
      birthdayFen: fen('birthday'),
      lifeFen: fen('life'),
      totalFen: of.reduce((s, r) => s + r.amountFen, 0),
    };
  });
  const occasionName = (key: string) =>
    key === 'birthday' ? '生日' : (y.occasion(key)?.name ?? LIFE_EVENT_NAMES[key as LifeEventKind] ?? key);
  const sum = <K extends string>(key: (r: CareTallyRow) => K) => {
    const m = new Map<K, { spentFen: number; grants: number }>();
    for (const r of careRows) {
      const t = m.get(key(r)) ?? { spentFen: 0, grants: 0 };
      t.spentFen += r.amountFen;
      t.grants += r.granted;
      m.set(key(r), t);
    }
    return m;
  };
  const careByBranch = [...sum((r) => r.branch)]
    .map(([code, t]) => ({ branch: { code, name: branchNames.get(code) ?? code }, ...t }))
    .sort((a, b) => b.spentFen - a.spentFen || a.branch.code.localeCompare(b.branch.code));
  const careByOccasion = [...sum((r) => r.occasion)]
    .map(([occasion, t]) => ({
      occasion,
      name: occasionName(occasion),
      category: careRows.find((r) => r.occasion === occasion)!.category,
      ...t,
    }))
    .sort((a, b) => b.spentFen - a.spentFen || a.occasion.localeCompare(b.occasion));

  // ---- whom the next holidays reach: each group of members at each of its yearly totals
  const groups = new Map<string, CensusGroup & { count: number }>();
  for (const r of rows.members) {
    const key = groupKey(r);
    const g = groups.get(key);
    if (g) g.count += r.count;
    else
      groups.set(key, {
        branch: r.branch,
        status: r.status,
        gender: r.gender,
        joinedOn: r.joinedOn,
        count: r.count,
      });
  }
  const spentOf = new Map<string, Array<{ spentFen: number; count: number }>>();
  for (const r of rows.care) {
    const key = `${groupKey(r)}|${r.year}|${r.category}`;
    spentOf.set(key, [...(spentOf.get(key) ?? []), { spentFen: r.spentFen, count: r.count }]);
  }
  const holidays = upcoming.map((h) => {
    const { rule, policy: p } = h;
    let reach = 0;
    let estimatedFen = 0;
    let reducedByCap = 0;
    if (rule?.enabled) {
      const cap = p.caps[rule.category];
      for (const [key, g] of groups) {
        const subject = {
          enrolled: true,
          ...(g.status ? { status: g.status } : {}),
          ...(g.gender ? { gender: g.gender } : {}),
          ...(g.joinedOn ? { joinedOn: g.joinedOn } : {}),
        };
        const spent = spentOf.get(`${key}|${h.year}|${rule.category}`) ?? [];
        const atZero = g.count - spent.reduce((n, x) => n + x.count, 0);
        for (const { spentFen, count } of [...spent, { spentFen: 0, count: atZero }]) {
          if (count <= 0) continue;
          const d = decideGrant(subject, rule, h.audience, h.dispatchDate, spentFen, cap);
          // Eligibility does not depend on the total: the group is in or out as a whole.
          if (d.reason === 'not_eligible') break;
          reach += count;
          estimatedFen += count * d.amountFen;
          if (d.reason !== 'full') reducedByCap += count;
        }
      }
    }
    return {
      occasion: h.occasion,
      name: h.name,
      date: h.date,
      dispatchDate: h.dispatchDate,
      daysUntilDispatch: daysBetween(today, h.dispatchDate),
      audience: h.audience,
      /** False when the year's 调休 arrangement is unknown: the dispatch day assumes plain weekends. */
      arrangementKnown: h.arrangementKnown,
      enabled: rule?.enabled ?? false,
      amountFen: rule?.amountFen ?? 0,
      gift: rule?.gift ?? null,
      /** Members the policy makes eligible on the dispatch day (status, audience, days of membership). */
      reach,
      /** What the grants would come to with the members' totals as they stand (the caps applied). */
      estimatedFen,
      /** Of those reached, members the cap would cut or leave out. */
      reducedByCap,
    };
  });

  // ---- proposals and letters (the chair's)
  const proposalSection = proposals && {
    session,
    total: proposals.length,
    byState: Object.fromEntries(
      PROPOSAL_STATES.filter(isPublished).map((s) => [s, proposals.filter((p) => p.state === s).length]),
    ) as Record<Exclude<ProposalState, 'draft'>, number>,
    overdue: proposals
      .filter((p) => p.state === 'assigned' && p.assignment && p.assignment.dueDate < today)
      .map((p) => ({
        id: p.id,
        number: p.number,
        title: p.title,
        department: p.assignment!.department,
        dueDate: p.assignment!.dueDate,
        daysOverdue: daysBetween(p.assignment!.dueDate, today),
      }))
      .sort((a, b) => b.daysOverdue - a.daysOverdue || a.id.localeCompare(b.id)),
  };
  const letterSection =
    letters &&
    (() => {
      const waiting = letters
        .map((l) => ({
          id: l.id,
          category: l.category,
          chairOnly: l.chairOnly,
          delegated: l.delegatedTo !== null,
          writtenOn: shanghaiDate(new Date(l.createdAt)),
          daysWaiting: daysBetween(shanghaiDate(new Date(l.createdAt)), today),
        }))
        .sort((a, b) => b.daysWaiting - a.daysWaiting || a.id.localeCompare(b.id));
      const band = (lo: number, hi: number) =>
        waiting.filter((l) => l.daysWaiting >= lo && l.daysWaiting <= hi).length;
      return {
        unanswered: waiting.length,
        oldestDays: waiting[0]?.daysWaiting ?? null,
        byAge: [
          { days: '0-2', count: band(0, 2) },
          { days: '3-6', count: band(3, 6) },
          { days: '7-13', count: band(7, 13) },
          { days: '14-29', count: band(14, 29) },
          { days: '30+', count: band(30, Number.POSITIVE_INFINITY) },
        ],
        items: waiting,
      };
    })();

  return {
    year,
    today,
    scope: branchFilter ? { branch: branchFilter } : { branch: null },
    members: {
      total: totals,
      byBranch: [...byBranch]
        .map(([code, counts]) => ({
          branch: { code, name: branchNames.get(code) ?? code },
          total: MEMBER_STATUSES.reduce((s, st) => s + counts[st], 0),
          byStatus: counts,
        }))
        .sort((a, b) => b.total - a.total || a.branch.code.localeCompare(b.branch.code)),
    },
    care: {
      year,
      capsAsOf: capsOn,
      caps: policy.caps,
      totalFen: careRows.reduce((s, r) => s + r.amountFen, 0),
      categories,
      byMonth,
      byBranch: careByBranch,
      byOccasion: careByOccasion,
    },
    holidays,
    proposals: proposalSection ?? null,
    letters: letterSection ?? null,
  };
};
