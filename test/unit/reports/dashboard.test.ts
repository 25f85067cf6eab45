/** The dashboard's arithmetic against an in-memory reader (the e2e test runs it on DynamoDB Local). */
import { describe, expect, it } from 'vitest';
import { calendarOf } from '../../../shared/domain/care/planner.ts';
import { NO_SETTINGS } from '../../../shared/domain/care/settings.ts';
import type { CareTallyRow } from '../../../shared/domain/care/tally.ts';
import { sumCensus } from '../../../shared/domain/members/census.ts';
import type { Principal } from '../../../shared/domain/principal.ts';
import type { Proposal } from '../../../shared/domain/proposals/proposal.ts';
import {
  censusOfFacts,
  type DashboardReader,
  dashboard,
  type MemberFacts,
} from '../../../shared/domain/reports/dashboard.ts';
import type { Letter } from '../../../shared/domain/voice/letters.ts';

const B1 = { code: 'B1', name: '一分会' };
const B2 = { code: 'B2', name: '二分会' };
const facts: Record<string, MemberFacts[]> = {
  B1: [
    { status: 'active', gender: 'female', joinedOn: '2020-01-01', branch: B1 },
    {
      status: 'active',
      gender: 'male',
      joinedOn: '2020-01-01',
      branch: B1,
      care: { 2027: { holiday: 190_000 } },
    },
    {
      status: 'active',
      gender: 'male',
      joinedOn: '2020-01-01',
      branch: B1,
      care: { 2026: { holiday: 200_000 } },
    },
    { status: 'retired', gender: 'male', joinedOn: '2000-01-01', branch: B1 },
    { status: 'left', gender: 'female', joinedOn: '2000-01-01', branch: B1 },
  ],
  // Joins in January: not yet a member on 元旦's dispatch day.
  B2: [{ status: 'active', gender: 'female', joinedOn: '2027-01-05', branch: B2 }],
  SCHOOL: [],
};
const row = (
  branch: string,
  month: string,
  category: CareTallyRow['category'],
  occasion: string,
  fen: number,
) => ({
  branch,
  month,
  category,
  occasion,
  granted: fen > 0 ? 1 : 0,
  reduced: 0,
  skipped: fen > 0 ? 0 : 1,
  amountFen: fen,
});
const proposal = (id: string, state: Proposal['state'], dueDate?: string) =>
  ({
    id,
    number: `S-${id}`,
    session: 'S',
    state,
    title: `提案${id}`,
    assignment: dueDate
      ? { department: 'D1', supportingDepartments: [], dueDate, assignedAt: '2026-11-01T00:00:00Z', round: 1 }
      : null,
  }) as Proposal;
const letter = (id: string, createdAt: string, chairOnly = false) =>
  ({
    id,
    category: '其他',
    chairOnly,
    delegatedTo: null,
    createdAt,
    state: 'open',
    answerCount: 0,
  }) as Letter;

const reader: DashboardReader = {
  census: async () => ({
    rows: sumCensus(Object.entries(facts).map(([b, f]) => censusOfFacts(b, f))),
    floor: '',
  }),
  branches: async () => ['SCHOOL', 'B1', 'B2'],
  membersOf: async (branch) => facts[branch] ?? [],
  tallies: async (year) =>
    year === 2026
      ? [
          row('B1', '09', 'holiday', 'mid_autumn', 30_000),
          row('B1', '09', 'holiday', 'mid_autumn', 0),
          row('B2', '09', 'holiday', 'mid_autumn', 30_000),
          row('B1', '03', 'life', 'hospital', 100_000),
        ]
      : [],
  settings: async () => NO_SETTINGS,
  proposals: async () => [
    proposal('1', 'assigned', '2026-12-01'),
    proposal('2', 'assigned', '2026-12-31'),
    proposal('3', 'closed', '2026-11-15'),
  ],
  unansweredLetters: async () => [
    letter('L1', '2026-11-20T02:00:00Z'),
    letter('L2', '2026-12-05T02:00:00Z', true),
  ],
};
const deps = {
  reader,
  calendar: async (year: number, settings: typeof NO_SETTINGS) => calendarOf(year, settings),
  currentSession: 'S',
  // Today in Shanghai: Sunday 2026-12-06.
  now: () => new Date('2026-12-06T02:00:00Z'),
};
const who = (
  roles: Principal['roles'] extends ReadonlySet<infer R> ? R[] : never,
  branch?: string,
): Principal => ({
  sub: 'X',
  roles: new Set(roles),
  ...(branch ? { branch } : {}),
});

describe('the dashboard', () => {
  it('counts members by branch and status, and the care of the year against the caps', async () => {
    const d = await dashboard(who(['chair']), () => ({}), deps);
    expect(d.members.total).toEqual({ active: 4, retired: 1, left: 1, transferred_out: 0, expelled: 0 });
    expect(d.members.byBranch.map((b) => [b.branch.code, b.total])).toEqual([
      ['B1', 5],
      ['B2', 1],
    ]);
    const holiday = d.care.categories.find((c) => c.category === 'holiday')!;
    expect(holiday).toMatchObject({
      spentFen: 60_000,
      grants: 2,
      skippedCapReached: 1,
      capFen: 200_000,
      ceilingFen: 200_000 * 5,
      membersAtCap: 1,
    });
    expect(d.care.byMonth).toHaveLength(12);
    expect(d.care.byMonth[8]).toEqual({
      month: '09',
      holidayFen: 60_000,
      birthdayFen: 0,
      lifeFen: 0,
      totalFen: 60_000,
    });
    expect(d.care.byOccasion.map((o) => [o.occasion, o.name, o.spentFen])).toEqual([
      ['hospital', '住院慰问', 100_000],
      ['mid_autumn', '中秋节', 60_000],
    ]);
  });

  it('lists the next holidays with their dispatch day and whom they reach, the caps applied', async () => {
    const d = await dashboard(who(['chair']), () => ({}), deps);
    expect(d.holidays[0]).toMatchObject({
      occasion: 'new_year',
      date: '2027-01-01',
      // Friday 1 January: the rest days begin that day, the gifts go out on Thursday.
      dispatchDate: '2026-12-31',
      daysUntilDispatch: 25,
      // Three active members of B1; B2's joins on 5 January.
      reach: 3,
      // 150 yuan each, one cut to the 100 yuan his 2027 cap leaves.
      estimatedFen: 15_000 * 2 + 10_000,
      reducedByCap: 1,
    });
    const women = d.holidays.find((h) => h.occasion === 'womens_day')!;
    expect(women.reach).toBe(2);
    expect(d.holidays.find((h) => h.occasion === 'double_ninth')!.reach).toBe(1);
    expect(d.holidays.every((h) => h.dispatchDate >= '2026-12-06' && h.dispatchDate <= '2027-12-07')).toBe(
      true,
    );
  });

  it('gives the chair the proposals overdue and the letters waiting, by age', async () => {
    const d = await dashboard(who(['chair']), () => ({}), deps);
    expect(d.proposals).toMatchObject({ session: 'S', total: 3, byState: { assigned: 2, closed: 1 } });
    expect(d.proposals!.overdue).toEqual([
      { id: '1', number: 'S-1', title: '提案1', department: 'D1', dueDate: '2026-12-01', daysOverdue: 5 },
    ]);
    expect(d.letters).toMatchObject({ unanswered: 2, oldestDays: 16 });
    expect(d.letters!.byAge.map((b) => b.count)).toEqual([1, 0, 0, 1, 0]);
    expect(d.letters!.items[0]).toEqual({
      id: 'L1',
      category: '其他',
      chairOnly: false,
      delegated: false,
      writtenOn: '2026-11-20',
      daysWaiting: 16,
    });
  });

  it('gives an officer their own branch only, without proposals and letters; others are refused', async () => {
    const d = await dashboard(who(['officer'], 'B1'), () => ({}), deps);
    expect(d.scope).toEqual({ branch: 'B1' });
    expect(d.members.byBranch.map((b) => b.branch.code)).toEqual(['B1']);
    expect(d.care.totalFen).toBe(130_000);
    expect(d.holidays[0]!.reach).toBe(3);
    expect(d.proposals).toBeNull();
    expect(d.letters).toBeNull();
    await expect(dashboard(who(['officer'], 'B1'), () => ({ branch: 'B2' }), deps)).rejects.toMatchObject({
      name: 'Forbidden',
    });
    const asked: unknown[] = [];
    const query = () => {
      asked.push(1);
      return {};
    };
    await expect(dashboard(who(['member', 'delegate']), query, deps)).rejects.toMatchObject({
      name: 'Forbidden',
    });
    expect(asked).toEqual([]);
    expect((await dashboard(who(['auditor']), () => ({ branch: 'B2' }), deps)).members.total.active).toBe(1);
  });
});
