/**
 * The chair's dashboard (工会主席工作台): the year at a glance, computed on the server so the
 * page receives a few kilobytes, not the members or the ledger.
 *
 * - members by branch and status: every member of each branch read through the branch index
 *   (projected to the five attributes counted; 20,000 members is what a large university has);
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
import { type CarePolicy, decideGrant, type LifeEventKind, policyOn } from '../care/policy.ts';
import { LIFE_EVENT_NAMES } from '../care/requests.ts';
import { type CareSettings, careYear } from '../care/settings.ts';
import type { CareTallyRow } from '../care/tally.ts';
import { Forbidden } from '../errors.ts';
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
  /** Every branch code members may sit in (the care fan-out's registry and the school union). */
  branches(): Promise<string[]>;
  /** Every member of a branch, whatever their status, with their care totals of these years. */
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

  const [settings, branchCodes, tallies, proposals, letters] = await Promise.all([
    deps.reader.settings(),
    branchFilter ? Promise.resolve([branchFilter]) : deps.reader.branches(),
    deps.reader.tallies(year),
    wide ? deps.reader.proposals(session) : Promise.resolve(undefined),
    wide ? deps.reader.unansweredLetters(now.toISOString()) : Promise.resolve(undefined),
  ]);
  const thisYear = Number(today.slice(0, 4));
  const careYears = [...new Set([year, thisYear, thisYear + 1])];
  const perBranch = await inBatches(branchCodes, BRANCHES_IN_FLIGHT, (b) =>
    deps.reader.membersOf(b, careYears),
  );
  const members = perBranch.flat();

  // ---- members by branch and status
  const branchNames = new Map<string, string>();
  const byBranch = new Map<string, Record<MemberStatus, number>>();
  branchCodes.forEach((code, i) => {
    const counts = emptyStatuses();
    for (const m of perBranch[i]!) {
      if (m.status) counts[m.status]++;
      if (m.branch?.name) branchNames.set(code, m.branch.name);
    }
    if (perBranch[i]!.length) byBranch.set(code, counts);
  });
  const totals = emptyStatuses();
  for (const counts of byBranch.values()) for (const s of MEMBER_STATUSES) totals[s] += counts[s];

  // ---- care against the caps
  const y = careYear(settings);
  const capsOn = year === thisYear ? today : `${year}-12-31`;
  const policy: CarePolicy = policyOn(capsOn, settings.policies);
  const rows = tallies.filter((r) => !branchFilter || r.branch === branchFilter);
  const counted = totals.active + totals.retired;
  const categories = CARE_CATEGORIES.map((category) => {
    const of = rows.filter((r) => r.category === category);
    const capFen = policy.caps[category];
    return {
      category,
      spentFen: of.reduce((s, r) => s + r.amountFen, 0),
      grants: of.reduce((s, r) => s + r.granted, 0),
      reducedByCap: of.reduce((s, r) => s + r.reduced, 0),
      skippedCapReached: of.reduce((s, r) => s + r.skipped, 0),
      capFen,
      /** The most the cap allows for the members counted now (active and retired). */
      ceilingFen: capFen * counted,
      /** Members whose year's total in the category has reached the cap. */
      membersAtCap: members.filter((m) => (m.care?.[String(year)]?.[category] ?? 0) >= capFen && capFen > 0)
        .length,
    };
  });
  const byMonth = MONTHS.map((month) => {
    const of = rows.filter((r) => r.month === month);
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
    for (const r of rows) {
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
      category: rows.find((r) => r.occasion === occasion)!.category,
      ...t,
    }))
    .sort((a, b) => b.spentFen - a.spentFen || a.occasion.localeCompare(b.occasion));

  // ---- the next holidays and whom they reach
  const horizon = new Date(Date.parse(today) + HOLIDAY_HORIZON_DAYS * DAY_MS).toISOString().slice(0, 10);
  const calendars = await Promise.all([thisYear, thisYear + 1].map((yr) => deps.calendar(yr, settings)));
  const upcoming = calendars
    .flatMap((entries, i) => entries.map((e) => ({ ...e, year: thisYear + i })))
    .filter((e) => e.dispatchDate >= today && e.dispatchDate <= horizon)
    .sort((a, b) => a.dispatchDate.localeCompare(b.dispatchDate) || a.occasion.localeCompare(b.occasion));
  const holidays = upcoming.map((h) => {
    const p = y.policyOn(h.dispatchDate);
    const rule = y.ruleFor(p, h.occasion);
    let reach = 0;
    let estimatedFen = 0;
    let reducedByCap = 0;
    if (rule?.enabled) {
      const cap = p.caps[rule.category];
      for (const m of members) {
        const spent = m.care?.[String(h.year)]?.[rule.category] ?? 0;
        const d = decideGrant({ ...m, enrolled: true }, rule, h.audience, h.dispatchDate, spent, cap);
        if (d.reason === 'not_eligible') continue;
        reach++;
        estimatedFen += d.amountFen;
        if (d.reason !== 'full') reducedByCap++;
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
      totalFen: rows.reduce((s, r) => s + r.amountFen, 0),
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
