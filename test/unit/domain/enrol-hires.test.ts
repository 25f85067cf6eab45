/**
 * Enrolment logic against an in-memory repository (a unit test of pure logic; the end-to-end
 * tests run the same use case against DynamoDB Local).
 */
import { describe, expect, it } from 'vitest';
import type { EmployeeHired } from '../../../events/hr.ts';
import type { DomainEvent } from '../../../events/domain.ts';
import { type EnrolmentRepository, enrolHires } from '../../../shared/domain/members/enrol-hires.ts';
import type { Branch, Member } from '../../../shared/domain/members/member.ts';

const memoryRepo = (branches: Record<string, Branch> = {}) => {
  const members = new Map<string, Member>();
  const counters = new Map<number, number>();
  const events: DomainEvent[] = [];
  let interleave: (() => void) | undefined;
  const repo: EnrolmentRepository = {
    existingEmployees: async (ids) => new Set(ids.filter((id) => members.has(id))),
    branchesFor: async (codes) => new Map(codes.filter((c) => branches[c]).map((c) => [c, branches[c]!])),
    lastMembershipSequence: async (year) => counters.get(year) ?? 0,
    enrol: async (year, previous, ms, es) => {
      interleave?.();
      interleave = undefined;
      if ((counters.get(year) ?? 0) !== previous) return { ok: false, reason: 'counter-moved' };
      const taken = ms.filter((m) => members.has(m.employeeId)).map((m) => m.employeeId);
      if (taken.length) return { ok: false, reason: 'already-members', employeeIds: taken };
      counters.set(year, previous + ms.length);
      for (const m of ms) members.set(m.employeeId, m);
      events.push(...es);
      return { ok: true };
    },
  };
  return { repo, members, events, counters, interleaveOnce: (f: () => void) => (interleave = f) };
};

let seq = 0;
const hire = (employeeId: string, overrides: Partial<EmployeeHired> = {}): EmployeeHired => ({
  eventId: `hr-${employeeId}`,
  occurredAt: '2026-08-25T10:00:00+08:00',
  employeeId,
  name: '黄丽萍',
  gender: 'female',
  birthDate: '1994-03-21',
  email: `${employeeId}@Example.edu.cn`,
  department: { code: 'CS', name: '计算机学院' },
  category: 'teaching',
  employmentType: 'permanent',
  hireDate: '2026-09-01',
  ...overrides,
});
const deps = (repo: EnrolmentRepository) => ({
  repo,
  membershipPrefix: 'GLU',
  now: () => new Date('2026-08-25T02:00:00Z'),
  newId: () => `id-${++seq}`,
  sleep: async () => {},
});

describe('enrolHires', () => {
  it('enrols with consecutive numbers, the mapped branch, women in the federation, lower-cased email', async () => {
    const m = memoryRepo({ CS: { code: 'B-CS', name: '计算机学院分工会' } });
    const out = await enrolHires([hire('T1'), hire('T2', { gender: 'male', department: { code: 'XX', name: '新部门' } })], deps(m.repo));
    expect([...out.values()]).toEqual(['enrolled', 'enrolled']);
    const t1 = m.members.get('T1')!;
    const t2 = m.members.get('T2')!;
    expect([t1.membershipNumber, t2.membershipNumber]).toEqual(['GLU-2026-000001', 'GLU-2026-000002']);
    expect(t1.branch.code).toBe('B-CS');
    expect(t2.branch.code).toBe('SCHOOL');
    expect(t2.branchAssignedByDefault).toBe(true);
    expect([t1.womenFederation, t2.womenFederation]).toEqual([true, false]);
    expect(t1.email).toBe('t1@example.edu.cn');
    expect(t1.joinedOn).toBe('2026-09-01');
    expect(m.events.map((e) => e.detailType)).toEqual(['MemberEnrolled', 'MemberEnrolled']);
  });

  it('enrols a person once however often the hire arrives', async () => {
    const m = memoryRepo();
    await enrolHires([hire('T1'), hire('T1')], deps(m.repo));
    const again = await enrolHires([hire('T1')], deps(m.repo));
    expect(again.get('T1')).toBe('already-member');
    expect(m.members.size).toBe(1);
    expect(m.counters.get(2026)).toBe(1);
    expect(m.events).toHaveLength(1);
  });

  it('takes new numbers when another batch moved the counter first, leaving no gap', async () => {
    const m = memoryRepo();
    m.interleaveOnce(() => m.counters.set(2026, 3));
    await enrolHires([hire('T9')], deps(m.repo));
    expect(m.members.get('T9')!.membershipNumber).toBe('GLU-2026-000004');
  });

  it('numbers per year of the hire event in Asia/Shanghai', async () => {
    const m = memoryRepo();
    await enrolHires([hire('T1', { occurredAt: '2026-12-31T16:30:00Z' })], deps(m.repo));
    expect(m.members.get('T1')!.membershipNumber).toBe('GLU-2027-000001');
  });
});
