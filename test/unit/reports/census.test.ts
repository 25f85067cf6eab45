/**
 * The member census's arithmetic (census.ts): the changes each write records add up to counting
 * the members one by one, whatever the sequence; the floor merges old joining days without
 * changing any sum; compaction changes nothing a reader sees; and the dashboard answers the same
 * from the census as from the members read one by one (the e2e test runs it on DynamoDB Local).
 */
import { describe, expect, it } from 'vitest';
import { calendarOf } from '../../../shared/domain/care/planner.ts';
import { DEFAULT_CARE_POLICY } from '../../../shared/domain/care/policy.ts';
import { NO_SETTINGS } from '../../../shared/domain/care/settings.ts';
import { idTimePrefix } from '../../../shared/domain/ids.ts';
import {
  CENSUS_SETTLE_MS,
  type CensusRollup,
  type CensusRows,
  type CensusStore,
  censusChange,
  censusFloor,
  censusOf,
  compactCensus,
  readCensus,
  sumCensus,
} from '../../../shared/domain/members/census.ts';
import type { Member, MemberStatus } from '../../../shared/domain/members/member.ts';
import type { Principal } from '../../../shared/domain/principal.ts';
import {
  type DashboardReader,
  dashboard,
  type MemberFacts,
} from '../../../shared/domain/reports/dashboard.ts';

/** A small deterministic generator (mulberry32): the same members on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const BRANCHES = [
  { code: 'B1', name: '一分会' },
  { code: 'B2', name: '二分会' },
  { code: 'SCHOOL', name: '校工会直属' },
];
const STATUSES: MemberStatus[] = ['active', 'active', 'active', 'retired', 'left', 'transferred_out'];
const DAYS = ['2016-03-01', '2024-09-01', '2025-07-15', '2026-01-10', '2026-11-20', '2027-01-05'];

/** A member image as stores write it: sometimes not yet enrolled, care of one or two years. */
const image = (r: () => number, employeeId: string, version: number): Member => {
  const enrolled = r() > 0.1;
  const care: Member['care'] = {};
  for (const year of ['2026', '2027'])
    if (r() > 0.4)
      care[year] = {
        holiday: pick(r, [0, 15_000, 65_000, 190_000, 200_000]),
        ...(r() > 0.5 ? { birthday: 30_000 } : {}),
        ...(r() > 0.9 ? { life: 100_000 } : {}),
      };
  return {
    memberId: `M-${employeeId}`,
    employeeId,
    enrolled,
    ...(enrolled ? { membershipNumber: `GLU-2026-${employeeId}` } : {}),
    branch: pick(r, BRANCHES),
    status: pick(r, STATUSES),
    ...(r() > 0.1 ? { gender: pick(r, ['female', 'male'] as const) } : {}),
    ...(r() > 0.05 ? { joinedOn: pick(r, DAYS) } : {}),
    care,
    stamps: {},
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    version,
  };
};

const sorted = (c: CensusRows) => ({
  members: [...c.members].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  care: [...c.care].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
});

/** 300 members, each written 1–6 times (hires, transfers, leaves, grants …): the changes recorded. */
const history = (seed: number) => {
  const r = random(seed);
  const changes: CensusRows[] = [];
  const finals: Member[] = [];
  for (let i = 0; i < 300; i++) {
    let current: Member | undefined;
    const writes = 1 + Math.floor(r() * 6);
    for (let v = 1; v <= writes; v++) {
      // A write that changes nothing counted (a duplicate event, a name change) records nothing.
      const next = r() < 0.2 && current ? { ...current, name: `n${v}`, version: v } : image(r, `E${i}`, v);
      changes.push(censusChange(current, next));
      current = next;
    }
    finals.push(current!);
  }
  return { changes, finals };
};

describe('the member census', () => {
  it('adds up to counting the members one by one, whatever they went through', () => {
    for (const seed of [1, 2, 3]) {
      const { changes, finals } = history(seed);
      expect(sorted(sumCensus(changes))).toEqual(sorted(censusOf(finals)));
    }
    // A member who is no longer listed (not enrolled) counts nowhere.
    const m = image(random(9), 'X', 1);
    expect(censusChange(m, m)).toEqual({ members: [], care: [] });
  });

  it('merges joining days before the floor without changing any sum, whenever it is applied', () => {
    const { changes, finals } = history(4);
    const floor = censusFloor('2026-12-06');
    expect(floor).toBe('2025-11-01');
    // Half summed at an earlier floor, then the rest with the later one: as all at the later one.
    const half = Math.floor(changes.length / 2);
    const early = sumCensus(changes.slice(0, half), censusFloor('2026-06-06'));
    expect(sorted(sumCensus([early, ...changes.slice(half)], floor))).toEqual(
      sorted(sumCensus([censusOf(finals)], floor)),
    );
    expect(
      sumCensus([censusOf(finals)], floor).members.every((r) => r.joinedOn === '' || r.joinedOn >= floor),
    ).toBe(true);
  });

  it('rolls up only settled tallies; readers see the same census before and after', async () => {
    const { changes } = history(5);
    const tallies: Array<{ id: string; rows: CensusRows }> = [];
    const now = new Date('2026-12-06T02:00:00Z');
    changes.forEach((rows, i) => {
      // Most an hour old, the last ten written a minute ago (not settled: read live).
      const at = new Date(now.getTime() - (i < changes.length - 10 ? 3600_000 - i * 100 : 60_000));
      tallies.push({ id: `${idTimePrefix(at)}${String(i).padStart(16, '0')}`, rows });
    });
    tallies.sort((a, b) => a.id.localeCompare(b.id));
    let stored: CensusRollup | undefined;
    const store: CensusStore = {
      rollup: async () => stored && structuredClone(stored),
      talliesBetween: async (after, before, limit) =>
        tallies
          .filter((t) => t.id > after && (before === undefined || t.id < before))
          .slice(0, Number.isFinite(limit) ? limit : undefined),
      saveRollup: async (r) => {
        if ((stored?.version ?? 0) !== r.version - 1) return 'conflict';
        stored = structuredClone(r);
        return 'saved';
      },
    };
    const before = await readCensus(store);
    const deps = { store, now: () => now, idBefore: idTimePrefix, today: '2026-12-06', pageSize: 100 };
    const out = await compactCensus(deps);
    expect(out.added).toBe(changes.length - 10);
    expect(stored).toMatchObject({ floor: '2025-11-01', tallies: changes.length - 10 });
    const after = await readCensus(store);
    expect(after.floor).toBe('2025-11-01');
    expect(sorted(after.rows)).toEqual(sorted(sumCensus([before.rows], '2025-11-01')));
    // Nothing new and the same floor: nothing written.
    const version = stored!.version;
    expect((await compactCensus(deps)).added).toBe(0);
    expect(stored!.version).toBe(version);
    // Ten minutes on, the rest settles.
    expect(
      (await compactCensus({ ...deps, now: () => new Date(now.getTime() + CENSUS_SETTLE_MS) })).added,
    ).toBe(10);
  });
});

describe('the dashboard from the census', () => {
  const chair: Principal = { sub: 'C', roles: new Set(['chair']) };
  const { finals } = history(6);
  const factsOf = (branch: string): MemberFacts[] =>
    finals
      .filter((m) => m.enrolled && m.branch?.code === branch)
      .map((m) => ({
        ...(m.status ? { status: m.status } : {}),
        ...(m.gender ? { gender: m.gender } : {}),
        ...(m.joinedOn ? { joinedOn: m.joinedOn } : {}),
        branch: m.branch!,
        ...(m.care ? { care: m.care } : {}),
      }));
  const reader = (floor: string, policies = NO_SETTINGS.policies) => {
    const read: string[] = [];
    const r: DashboardReader = {
      census: async () => ({ rows: sumCensus([censusOf(finals)], floor), floor }),
      branches: async () => BRANCHES.map((b) => b.code),
      membersOf: async (branch) => {
        read.push(branch);
        return factsOf(branch);
      },
      tallies: async () => [],
      settings: async () => ({ ...NO_SETTINGS, policies }),
      proposals: async () => [],
      unansweredLetters: async () => [],
    };
    return { r, read };
  };
  const deps = (r: DashboardReader) => ({
    reader: r,
    calendar: async (year: number, settings: typeof NO_SETTINGS) => calendarOf(year, settings),
    currentSession: 'S',
    now: () => new Date('2026-12-06T02:00:00Z'),
  });

  /** The dashboard's member figures counted member by member, as it did before the census. */
  const memberByMember = async (policies = NO_SETTINGS.policies) => {
    const { r } = reader('', policies);
    const live: DashboardReader = {
      ...r,
      // Each member its own group: the census of one member at a time.
      census: async () => ({ rows: sumCensus(finals.map((m) => censusOf([m]))), floor: '' }),
    };
    return dashboard(chair, () => ({}), deps(live));
  };

  it('answers as counting member by member, at the floor compaction leaves', async () => {
    const expected = await memberByMember();
    const { r, read } = reader(censusFloor('2026-12-06'));
    const d = await dashboard(chair, () => ({}), deps(r));
    expect(d.members).toEqual(expected.members);
    expect(d.holidays).toEqual(expected.holidays);
    expect(d.care.categories).toEqual(expected.care.categories);
    expect(d.holidays.some((h) => h.reducedByCap > 0)).toBe(true);
    expect(read).toEqual([]);
    // An officer's branch alone.
    const b1 = await dashboard({ sub: 'O', roles: new Set(['officer']), branch: 'B1' }, () => ({}), deps(r));
    expect(b1.members.total.active).toBe(factsOf('B1').filter((m) => m.status === 'active').length);
  });

  it('reads the members one by one when a policy asks for more membership than the floor keeps apart', async () => {
    const strict = [
      {
        ...DEFAULT_CARE_POLICY,
        effectiveFrom: '2026-01-01',
        updatedAt: '2026-01-01T00:00:00Z',
        updatedBy: 'C',
        occasions: {
          ...DEFAULT_CARE_POLICY.occasions,
          new_year: { ...DEFAULT_CARE_POLICY.occasions.new_year!, minMembershipDays: 500 },
        },
      },
    ];
    const { r, read } = reader(censusFloor('2026-12-06'), strict);
    const d = await dashboard(chair, () => ({}), deps(r));
    expect(read.sort()).toEqual(['B1', 'B2', 'SCHOOL']);
    const expected = await memberByMember(strict);
    expect(d.holidays).toEqual(expected.holidays);
    expect(d.members).toEqual(expected.members);
  });
});
