import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../events/domain.ts';
import {
  type CareStore,
  type CareTask,
  type GrantOutcome,
  type GrantRecord,
  runCareTask,
} from '../../../shared/domain/care/grants.ts';
import { calendarOf, dueOn, planCare } from '../../../shared/domain/care/planner.ts';
import { DEFAULT_CARE_POLICY } from '../../../shared/domain/care/policy.ts';
import {
  type CareSettings,
  type CareSettingsStore,
  NO_SETTINGS,
} from '../../../shared/domain/care/settings.ts';
import {
  addOccasion,
  putPolicy,
  putWorkdays,
  readPolicy,
  removeOccasion,
} from '../../../shared/domain/care/settings-admin.ts';
import type { Member } from '../../../shared/domain/members/member.ts';
import type { Principal } from '../../../shared/domain/principal.ts';

const chair: Principal = { sub: 'chair-1', roles: new Set(['chair']) };
const officer: Principal = { sub: 'off-1', roles: new Set(['officer']), branch: 'B1' };

const memoryStore = (initial: CareSettings = NO_SETTINGS) => {
  const s: CareSettings = structuredClone(initial);
  const store: CareSettingsStore & { reads: number } = {
    reads: 0,
    async settings() {
      store.reads++;
      return structuredClone(s);
    },
    async putPolicy(p) {
      s.policies = [...s.policies.filter((x) => x.effectiveFrom !== p.effectiveFrom), p];
    },
    async addOccasion(o) {
      if (s.occasions.some((x) => x.occasion === o.occasion)) return false;
      s.occasions.push(o);
      return true;
    },
    async deleteOccasion(key) {
      const before = s.occasions.length;
      s.occasions = s.occasions.filter((o) => o.occasion !== key);
      return s.occasions.length < before;
    },
    async putWorkdays(y) {
      s.workdays = [...s.workdays.filter((w) => w.year !== y.year), y];
    },
  };
  return store;
};

// "Today" in Shanghai: 2026-11-24.
const deps = (store = memoryStore()) => ({ settings: store, now: () => new Date('2026-11-24T02:00:00Z') });

const sanyuesan = {
  occasion: 'sanyuesan',
  name: '三月三',
  calendar: 'lunar' as const,
  month: 3,
  day: 3,
  audience: 'all' as const,
  amountFen: 8800,
};

describe('care settings', () => {
  it('lets only the chair and admins manage them, before reading the body', async () => {
    const body = () => {
      throw new Error('read');
    };
    await expect(putPolicy(officer, body, deps())).rejects.toThrow(/Only the chair and admins/);
    await expect(addOccasion(officer, body, deps())).rejects.toThrow(/Only the chair and admins/);
    await expect(putWorkdays(officer, () => 2031, body, deps())).rejects.toThrow(/Only the chair and admins/);
  });

  it('adds policy versions from today on, carrying over what the body leaves out; the past is 409', async () => {
    const d = deps();
    await expect(
      putPolicy(chair, () => ({ effectiveFrom: '2026-11-23', caps: { holiday: 1 } }), d),
    ).rejects.toMatchObject({
      name: 'Conflict',
    });
    const today = await putPolicy(
      chair,
      () => ({ effectiveFrom: '2026-11-24', caps: { holiday: 150000 } }),
      d,
    );
    expect(today.caps).toEqual({ holiday: 150000, birthday: 30000, life: 600000 });
    const later = await putPolicy(
      chair,
      () => ({ effectiveFrom: '2027-01-01', occasions: { mid_autumn: { amountFen: 40000 } } }),
      d,
    );
    // Carried over from the version before it (today's), not from the default.
    expect(later.caps.holiday).toBe(150000);
    expect(later.occasions.mid_autumn).toMatchObject({
      amountFen: 40000,
      gift: '月饼礼盒',
      statuses: ['active'],
    });
    const read = await readPolicy(chair, () => '2026-12-31', d);
    expect(read).toMatchObject({ source: 'stored', inForce: { effectiveFrom: '2026-11-24' } });
    expect(read.versions.map((v) => v.effectiveFrom)).toEqual(['2026-11-24', '2027-01-01']);
    expect((await readPolicy(chair, () => '2026-01-01', d)).source).toBe('default');
    await expect(
      putPolicy(chair, () => ({ effectiveFrom: '2027-01-01', occasions: { nope: { amountFen: 1 } } }), d),
    ).rejects.toMatchObject({ name: 'InvalidInput', details: { errors: [{ field: 'occasions.nope' }] } });
  });

  it('says of each policy version whether it is the past, in force or scheduled, and whether it may be replaced', async () => {
    const stored = (effectiveFrom: string) => ({
      ...DEFAULT_CARE_POLICY,
      effectiveFrom,
      updatedAt: '2026-01-01T00:00:00Z',
      updatedBy: 'chair-1',
    });
    const store = memoryStore({
      ...NO_SETTINGS,
      policies: ['2026-01-01', '2026-06-01', '2026-11-24', '2027-01-01'].map(stored),
    });
    const read = await readPolicy(chair, () => '2026-03-01', deps(store));
    expect(read.today).toBe('2026-11-24');
    expect(read.inForce.effectiveFrom).toBe('2026-01-01');
    expect(read.versions.map((v) => [v.effectiveFrom, v.state, v.editable])).toEqual([
      ['2026-01-01', 'superseded', false],
      ['2026-06-01', 'superseded', false],
      ['2026-11-24', 'in_force', true],
      ['2027-01-01', 'scheduled', true],
    ]);
    // What `editable` says is what PUT does: 409 for a version before today.
    await expect(
      putPolicy(chair, () => ({ effectiveFrom: '2026-06-01' }), deps(store)),
    ).rejects.toMatchObject({
      name: 'Conflict',
    });
  });

  it('adds and removes the union’s own occasions, never a built-in one', async () => {
    const d = deps();
    expect(await addOccasion(chair, () => sanyuesan, d)).toMatchObject({
      occasion: 'sanyuesan',
      rule: { category: 'holiday', amountFen: 8800, statuses: ['active'], workingDaysAhead: 1 },
    });
    await expect(addOccasion(chair, () => sanyuesan, d)).rejects.toMatchObject({ name: 'Conflict' });
    await expect(
      addOccasion(chair, () => ({ ...sanyuesan, occasion: 'mid_autumn' }), d),
    ).rejects.toMatchObject({
      name: 'Conflict',
    });
    await expect(removeOccasion(chair, 'spring_festival', d)).rejects.toMatchObject({ name: 'Conflict' });
    expect(await removeOccasion(chair, 'sanyuesan', d)).toEqual({ occasion: 'sanyuesan', removed: true });
    await expect(removeOccasion(chair, 'sanyuesan', d)).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('replaces a year’s working days, but not a day before today', async () => {
    const d = deps();
    const days = [
      { date: '2026-12-31', work: false },
      { date: '2026-11-01', work: true },
    ];
    await expect(
      putWorkdays(
        chair,
        () => 2026,
        () => ({ days }),
        d,
      ),
    ).rejects.toMatchObject({
      name: 'Conflict',
      details: { dates: ['2026-11-01'] },
    });
    const ok = await putWorkdays(
      chair,
      () => 2026,
      () => ({ days: [days[0]!] }),
      d,
    );
    expect(ok).toMatchObject({ year: 2026, days: [days[0]], libraryKnows: true });
    await expect(
      putWorkdays(
        chair,
        () => 2026,
        () => ({ days: [{ date: '2027-01-01', work: true }] }),
        d,
      ),
    ).rejects.toMatchObject({ name: 'InvalidInput' });
  });
});

describe('the planner under the settings', () => {
  const settingsWith = async () => {
    const store = memoryStore();
    const d = deps(store);
    await addOccasion(chair, () => sanyuesan, d);
    await putPolicy(
      chair,
      () => ({ effectiveFrom: '2032-01-01', occasions: { sanyuesan: { amountFen: 16600 } } }),
      d,
    );
    return store;
  };

  it('puts the union’s own occasion in the calendar; a working-day override moves its dispatch date', async () => {
    const store = await settingsWith();
    const s = await store.settings();
    expect(calendarOf(2031, s).find((e) => e.occasion === 'sanyuesan')).toMatchObject({
      date: '2031-03-25',
      dispatchDate: '2031-03-24',
      arrangementKnown: false,
    });
    await putWorkdays(
      chair,
      () => 2031,
      () => ({ days: [{ date: '2031-03-24', work: false }] }),
      deps(store),
    );
    const moved = await store.settings();
    expect(calendarOf(2031, moved).find((e) => e.occasion === 'sanyuesan')).toMatchObject({
      dispatchDate: '2031-03-21',
      arrangementKnown: true,
    });
    expect(dueOn('2031-03-21', moved).holidays.map((h) => h.occasion)).toEqual(['sanyuesan']);
    expect(dueOn('2031-03-21', moved).warnings[0]).toContain('2032');
    expect(dueOn('2032-04-09', moved).warnings[0]).toContain('2033');
  });

  it('reads the settings once per run and hands each task what it grants, at the amount in force', async () => {
    const store = await settingsWith();
    const tasks: CareTask[] = [];
    const careStore = {
      settings: () => store.settings(),
      branches: async () => ['B1', 'B2'],
    } as unknown as CareStore;
    const reads = store.reads;
    const plan = await planCare('2031-03-24', {
      store: careStore,
      queue: { enqueue: async (t) => void tasks.push(...t) },
      now: () => new Date(),
      newId: () => 'x',
    });
    expect(store.reads - reads).toBe(1);
    expect(plan.holidays).toEqual(['sanyuesan']);
    const holiday = tasks.filter((t) => t.kind === 'holiday');
    expect(holiday.map((t) => t.kind === 'holiday' && t.branch)).toEqual(['B1', 'B2']);
    expect(holiday[0]!.plan).toMatchObject({
      name: '三月三',
      rule: { amountFen: 8800 },
      policyEffectiveFrom: '2000-01-01',
    });
    tasks.length = 0;
    await planCare('2032-04-09', {
      store: careStore,
      queue: { enqueue: async (t) => void tasks.push(...t) },
      now: () => new Date(),
      newId: () => 'x',
    });
    expect(tasks[0]!.plan).toMatchObject({ rule: { amountFen: 16600 }, policyEffectiveFrom: '2032-01-01' });
  });
});

describe('granting a page', () => {
  const member = (i: number, version = 1): Member => ({
    memberId: `M${i}`,
    employeeId: `E${i}`,
    enrolled: true,
    membershipNumber: `GLU-2026-${i}`,
    name: 'x',
    email: 'x@example.edu.cn',
    status: 'active',
    joinedOn: '2026-01-01',
    branch: { code: 'B1', name: 'b' },
    stamps: {},
    createdAt: '',
    updatedAt: '',
    version,
  });

  it('grants a page in a few store requests; a member that changed is read again and retried alone', async () => {
    const page = Array.from({ length: 60 }, (_, i) => member(i));
    const calls: number[] = [];
    const granted = new Set<string>(['E3']);
    const store = {
      settings: async () => NO_SETTINGS,
      membersOfBranch: async () => ({ members: page }),
      member: async (id: string) => member(Number(id.slice(1)), 2),
      async grantAll(entries: Array<{ member: Member; record: GrantRecord; event?: DomainEvent }>) {
        calls.push(entries.length);
        return entries.map(({ member: m }): GrantOutcome => {
          if (granted.has(m.employeeId)) return 'already';
          if (m.employeeId === 'E7' && m.version === 1) return 'conflict';
          granted.add(m.employeeId);
          return 'granted';
        });
      },
    } as unknown as CareStore;
    const result = await runCareTask(
      { kind: 'holiday', occasion: 'mid_autumn', year: 2026, date: '2026-09-24', branch: 'B1' },
      { store, queue: { enqueue: async () => {} }, now: () => new Date(), newId: () => 'id' },
    );
    expect(calls).toEqual([25, 25, 10, 1]);
    expect(result).toMatchObject({ members: 60, granted: 59, already: 1, conflicts: 1 });
  });
});
