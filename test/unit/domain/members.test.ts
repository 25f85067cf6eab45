/**
 * The members context's logic against an in-memory repository (a unit test of pure logic; the
 * end-to-end tests run the same use case against DynamoDB Local).
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../events/domain.ts';
import type { HrEvent } from '../../../events/hr.ts';
import { applyHrEvents, type MemberRepository } from '../../../shared/domain/members/apply-hr-events.ts';
import type { Branch, Member } from '../../../shared/domain/members/member.ts';

const memoryRepo = (branches: Record<string, Branch> = {}) => {
  const members = new Map<string, Member>();
  const counters = new Map<number, number>();
  const events: DomainEvent[] = [];
  let beforeSave: (() => void) | undefined;
  const repo: MemberRepository = {
    load: async (ids) =>
      new Map(ids.filter((id) => members.has(id)).map((id) => [id, structuredClone(members.get(id)!)])),
    branchesFor: async (codes) => new Map(codes.filter((c) => branches[c]).map((c) => [c, branches[c]!])),
    lastMembershipSequence: async (year) => counters.get(year) ?? 0,
    save: async ({ members: ms, counters: cs, events: es }) => {
      beforeSave?.();
      beforeSave = undefined;
      if (cs.some((c) => (counters.get(c.year) ?? 0) !== c.previous)) return 'conflict';
      if (ms.some((m) => (members.get(m.employeeId)?.version ?? 0) !== m.version - 1)) return 'conflict';
      for (const c of cs) counters.set(c.year, c.next);
      for (const m of ms) members.set(m.employeeId, structuredClone(m));
      events.push(...es);
      return 'saved';
    },
  };
  return { repo, members, events, counters, interfere: (f: () => void) => (beforeSave = f) };
};

let seq = 0;
const deps = (repo: MemberRepository) => ({
  repo,
  membershipPrefix: 'GLU',
  now: () => new Date('2026-08-25T02:00:00Z'),
  newId: () => `id-${String(++seq).padStart(6, '0')}`,
  sleep: async () => {},
});

const envelope = { version: '0', id: 'x', source: 'university.hr' as const };
const hired = (
  employeeId: string,
  at = '2026-08-25T10:00:00+08:00',
  extra: Record<string, unknown> = {},
): HrEvent => ({
  ...envelope,
  'detail-type': 'EmployeeHired',
  detail: {
    eventId: `hire-${employeeId}-${at}`,
    occurredAt: at,
    employeeId,
    name: '黄丽萍',
    gender: 'female',
    birthDate: '1994-03-21',
    email: `${employeeId}@Example.edu.cn`,
    department: { code: 'CS', name: '计算机学院' },
    category: 'teaching',
    employmentType: 'permanent',
    hireDate: '2026-09-01',
    ...extra,
  },
});
const departed = (employeeId: string, at: string, reason: 'resigned' | 'deceased' = 'resigned'): HrEvent => ({
  ...envelope,
  'detail-type': 'EmployeeDeparted',
  detail: {
    eventId: `dep-${employeeId}-${at}`,
    occurredAt: at,
    employeeId,
    departureDate: at.slice(0, 10),
    reason,
  },
});
const retired = (employeeId: string, at: string): HrEvent => ({
  ...envelope,
  'detail-type': 'EmployeeRetired',
  detail: { eventId: `ret-${employeeId}-${at}`, occurredAt: at, employeeId, retirementDate: at.slice(0, 10) },
});
const transferred = (employeeId: string, at: string, code: string): HrEvent => ({
  ...envelope,
  'detail-type': 'EmployeeTransferred',
  detail: {
    eventId: `tr-${employeeId}-${at}`,
    occurredAt: at,
    employeeId,
    department: { code, name: code },
    effectiveDate: at.slice(0, 10),
  },
});
const updated = (employeeId: string, at: string, changes: Record<string, string>): HrEvent => ({
  ...envelope,
  'detail-type': 'EmployeeUpdated',
  detail: {
    eventId: `up-${employeeId}-${at}-${Object.keys(changes).join()}`,
    occurredAt: at,
    employeeId,
    changes,
  },
});

describe('applyHrEvents', () => {
  it('enrols hires with consecutive numbers, the mapped branch, women in the federation, lower-cased email', async () => {
    const m = memoryRepo({ CS: { code: 'B-CS', name: '计算机学院分工会' } });
    await applyHrEvents(
      [hired('T1'), hired('T2', undefined, { gender: 'male', department: { code: 'XX', name: '新部门' } })],
      deps(m.repo),
    );
    const [t1, t2] = [m.members.get('T1')!, m.members.get('T2')!];
    expect([t1.membershipNumber, t2.membershipNumber]).toEqual(['GLU-2026-000001', 'GLU-2026-000002']);
    expect([t1.branch?.code, t2.branch?.code, t2.branchAssignedByDefault]).toEqual(['B-CS', 'SCHOOL', true]);
    expect([t1.womenFederation, t2.womenFederation]).toEqual([true, false]);
    expect(t1.email).toBe('t1@example.edu.cn');
    expect(t1.joinedOn).toBe('2026-09-01');
    expect(m.events.map((e) => e.detailType)).toEqual(['MemberEnrolled', 'MemberEnrolled']);
  });

  it('enrols a person once however often the hire arrives', async () => {
    const m = memoryRepo();
    await applyHrEvents([hired('T1'), hired('T1')], deps(m.repo));
    await applyHrEvents([hired('T1')], deps(m.repo));
    expect(m.members.size).toBe(1);
    expect(m.counters.get(2026)).toBe(1);
    expect(m.events).toHaveLength(1);
  });

  it('takes new numbers when another batch moved the counter first, leaving no gap', async () => {
    const m = memoryRepo();
    m.interfere(() => m.counters.set(2026, 3));
    const result = await applyHrEvents([hired('T9')], deps(m.repo));
    expect(result.attempts).toBe(2);
    expect(m.members.get('T9')!.membershipNumber).toBe('GLU-2026-000004');
  });

  it('numbers by the year of the hire in Asia/Shanghai', async () => {
    const m = memoryRepo();
    await applyHrEvents([hired('T1', '2026-12-31T16:30:00Z')], deps(m.repo));
    expect(m.members.get('T1')!.membershipNumber).toBe('GLU-2027-000001');
  });

  it('keeps a departure that arrives before its hire and applies it: a member who left, no welcome', async () => {
    const m = memoryRepo();
    await applyHrEvents([departed('T1', '2026-10-01T09:00:00+08:00')], deps(m.repo));
    expect(m.members.get('T1')).toMatchObject({ enrolled: false, status: 'left' });
    expect(m.events).toHaveLength(0);
    await applyHrEvents([hired('T1')], deps(m.repo));
    expect(m.members.get('T1')).toMatchObject({
      enrolled: true,
      status: 'left',
      membershipNumber: 'GLU-2026-000001',
    });
    expect(m.events.map((e) => [e.detailType, e.detail.status])).toEqual([['MemberEnrolled', 'left']]);
  });

  it('ends in the same state whatever the order of the events', async () => {
    const events = [
      hired('T1'),
      transferred('T1', '2026-11-01T09:00:00+08:00', 'EE'),
      updated('T1', '2026-11-02T09:00:00+08:00', { email: 'new@example.edu.cn' }),
      updated('T1', '2026-10-02T09:00:00+08:00', { email: 'old@example.edu.cn', name: '黄丽' }),
      retired('T1', '2027-01-01T09:00:00+08:00'),
    ];
    const finalStates = [];
    for (const order of [
      [0, 1, 2, 3, 4],
      [4, 3, 2, 1, 0],
      [2, 4, 0, 3, 1],
    ]) {
      const m = memoryRepo();
      for (const i of order) await applyHrEvents([events[i]!], deps(m.repo));
      const { memberId: _id, createdAt: _c, updatedAt: _u, version: _v, ...state } = m.members.get('T1')!;
      finalStates.push(state);
    }
    expect(finalStates[1]).toEqual(finalStates[0]);
    expect(finalStates[2]).toEqual(finalStates[0]);
    expect(finalStates[0]).toMatchObject({
      status: 'retired',
      email: 'new@example.edu.cn',
      name: '黄丽',
      department: { code: 'EE' },
    });
  });

  it('announces departures, retirements, transfers and updates of members', async () => {
    const m = memoryRepo();
    await applyHrEvents([hired('T1')], deps(m.repo));
    await applyHrEvents([transferred('T1', '2026-11-01T09:00:00+08:00', 'EE')], deps(m.repo));
    await applyHrEvents(
      [updated('T1', '2026-11-02T09:00:00+08:00', { mobile: '13900000000' })],
      deps(m.repo),
    );
    await applyHrEvents([departed('T1', '2026-12-01T09:00:00+08:00', 'deceased')], deps(m.repo));
    expect(m.events.map((e) => e.detailType)).toEqual([
      'MemberEnrolled',
      'MemberTransferred',
      'MemberUpdated',
      'MemberLeft',
    ]);
    expect(m.events[2]!.detail).toMatchObject({ fields: ['mobile'] });
    expect(m.events[3]!.detail).toMatchObject({ reason: 'deceased' });
    // A redelivered departure changes nothing and announces nothing.
    await applyHrEvents([departed('T1', '2026-12-01T09:00:00+08:00', 'deceased')], deps(m.repo));
    expect(m.events).toHaveLength(4);
  });
});
