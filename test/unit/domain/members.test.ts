/**
 * The members context's logic against an in-memory repository (a unit test of pure logic; the
 * end-to-end tests run the same use case against DynamoDB Local).
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../events/domain.ts';
import type { HrEvent } from '../../../events/hr.ts';
import { applyDueTransfers } from '../../../shared/domain/members/apply-due-transfers.ts';
import { applyHrEvents, type MemberRepository } from '../../../shared/domain/members/apply-hr-events.ts';
import type { Branch, Member } from '../../../shared/domain/members/member.ts';

const memoryRepo = (branches: Record<string, Branch> = {}) => {
  const members = new Map<string, Member>();
  const counters = new Map<number, number>();
  const events: DomainEvent[] = [];
  let beforeSave: (() => void) | undefined;
  let saves = 0;
  let reads = 0;
  const repo: MemberRepository = {
    load: async (ids) =>
      new Map(ids.filter((id) => members.has(id)).map((id) => [id, structuredClone(members.get(id)!)])),
    branchesFor: async (codes) => new Map(codes.filter((c) => branches[c]).map((c) => [c, branches[c]!])),
    lastMembershipSequence: async (year) => counters.get(year) ?? 0,
    readBatch: async ({ employeeIds, departments, years }) => ({
      members: await repo.load(employeeIds),
      branches: await repo.branchesFor(departments),
      counters: new Map(years.map((y) => [y, counters.get(y) ?? 0])),
    }),
    save: async ({ members: ms, counters: cs, events: es }) => {
      saves++;
      beforeSave?.();
      beforeSave = undefined;
      if (ms.some((m) => (members.get(m.employeeId)?.version ?? 0) !== m.version - 1)) return 'conflict';
      // As the DynamoDB repository does: a lost race on the counters alone says where they are now.
      if (cs.some((c) => (counters.get(c.year) ?? 0) !== c.previous))
        return { counters: new Map(cs.map((c) => [c.year, counters.get(c.year) ?? 0])) };
      for (const c of cs) counters.set(c.year, c.next);
      for (const m of ms) members.set(m.employeeId, structuredClone(m));
      events.push(...es);
      return 'saved';
    },
  };
  const counting: MemberRepository = {
    ...repo,
    readBatch: (q) => {
      reads++;
      return repo.readBatch(q);
    },
  };
  return {
    repo: counting,
    members,
    events,
    counters,
    interfere: (f: () => void) => (beforeSave = f),
    calls: () => ({ saves, reads }),
  };
};

let seq = 0;
const deps = (repo: MemberRepository, now = '2026-08-25T02:00:00Z') => ({
  repo,
  membershipPrefix: 'GLU',
  now: () => new Date(now),
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
    expect(m.events[0]!.detail.membershipNumber).toBe('GLU-2026-000004');
    // The lost race said where the counter is: numbered again without reading the batch again.
    expect(m.calls()).toEqual({ saves: 2, reads: 1 });
  });

  it('reads the batch again when a member changed meanwhile', async () => {
    const m = memoryRepo();
    await applyHrEvents([hired('T9')], deps(m.repo));
    m.interfere(() => {
      m.members.get('T9')!.version += 1;
    });
    const result = await applyHrEvents([departed('T9', '2026-10-01T09:00:00+08:00')], deps(m.repo));
    expect(result.attempts).toBe(2);
    expect(m.calls()).toEqual({ saves: 3, reads: 3 });
    expect(m.members.get('T9')).toMatchObject({ status: 'left' });
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
      // Applied after all of them happened: the transfer is in effect already.
      for (const i of order) await applyHrEvents([events[i]!], deps(m.repo, '2027-02-01T02:00:00Z'));
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

  it('keeps the history of status and placement, the same whatever the order, once per fact', async () => {
    const events = [
      hired('T2'),
      transferred('T2', '2026-11-01T09:00:00+08:00', 'EE'),
      transferred('T2', '2026-12-01T09:00:00+08:00', 'MA'),
      updated('T2', '2026-11-02T09:00:00+08:00', { email: 'new@example.edu.cn' }),
      retired('T2', '2027-01-01T09:00:00+08:00'),
    ];
    const histories = [];
    for (const order of [
      [0, 1, 2, 3, 4],
      [4, 2, 3, 1, 0],
      [1, 0, 4, 2, 3],
    ]) {
      const m = memoryRepo();
      for (const i of order) await applyHrEvents([events[i]!], deps(m.repo, '2027-02-01T02:00:00Z'));
      // A redelivery, and a hire HR sends again under another id, add nothing.
      await applyHrEvents(
        [events[2]!, hired('T2', '2027-01-15T09:00:00+08:00')],
        deps(m.repo, '2027-02-01T02:00:00Z'),
      );
      histories.push(m.members.get('T2')!.history);
    }
    expect(histories[1]).toEqual(histories[0]);
    expect(histories[2]).toEqual(histories[0]);
    // Both transfers happened, also when the later one arrived first.
    expect(histories[0]!.map((e) => [e.kind, e.on, e.status ?? e.department?.code ?? e.reason])).toEqual([
      ['status', '2026-09-01', 'active'],
      ['placement', '2026-09-01', 'CS'],
      ['enrolled', '2026-09-01', 'hr'],
      ['placement', '2026-11-01', 'EE'],
      ['placement', '2026-12-01', 'MA'],
      ['status', '2027-01-01', 'retired'],
    ]);
  });

  it('announces departures, retirements, transfers and updates of members', async () => {
    const m = memoryRepo();
    await applyHrEvents([hired('T1')], deps(m.repo));
    await applyHrEvents(
      [transferred('T1', '2026-11-01T09:00:00+08:00', 'EE')],
      deps(m.repo, '2026-11-01T02:00:00Z'),
    );
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

describe('enrolment settings', () => {
  const confirm = {
    mode: 'confirm' as const,
    dispatched: 'skip' as const,
    invitationUrl: 'https://union.example.edu.cn/invitations',
  };
  let tokens = 0;
  const withSettings = (repo: MemberRepository) => ({
    ...deps(repo),
    enrolment: confirm,
    newInvitationToken: () => ({ token: `token-${++tokens}`, hash: `hash-${tokens}` }),
  });

  it('confirm mode invites instead of enrolling: no number, one invitation however often HR sends', async () => {
    const { repo, members, events } = memoryRepo();
    await applyHrEvents([hired('E5001'), hired('E5001')], withSettings(repo));
    await applyHrEvents([hired('E5001')], withSettings(repo));
    const m = members.get('E5001')!;
    expect(m.enrolled).toBe(false);
    expect(m.membershipNumber).toBeUndefined();
    expect(m.invitation).toMatchObject({ tokenHash: 'hash-1', expiresOn: '2026-09-24' });
    expect(events.map((e) => e.detailType)).toEqual(['MemberInvited']);
    const url = new URL(String(events[0]!.detail.acceptUrl));
    expect(url.origin + url.pathname).toBe('https://union.example.edu.cn/invitations');
    expect(url.searchParams.get('member')).toBe(m.memberId);
    expect(url.searchParams.get('token')).toBe('token-1');
  });

  it('skips dispatched staff under skip, and says so once', async () => {
    const { repo, members, events } = memoryRepo();
    const dispatched = hired('E5002', undefined, { employmentType: 'dispatched' });
    await applyHrEvents([dispatched], withSettings(repo));
    await applyHrEvents([dispatched], withSettings(repo));
    expect(members.get('E5002')).toMatchObject({ enrolled: false, notEnrolledReason: 'dispatched' });
    expect(events.map((e) => e.detailType)).toEqual(['EnrolmentSkipped']);
  });

  it('an officer’s enrolment or the import is a decision already: the settings do not apply', async () => {
    const { repo, members, events } = memoryRepo();
    await applyHrEvents(
      [hired('E5003', undefined, { employmentType: 'dispatched' })],
      withSettings(repo),
      'manual',
    );
    expect(members.get('E5003')).toMatchObject({ enrolled: true, membershipNumber: 'GLU-2026-000001' });
    expect(events.map((e) => e.detailType)).toEqual(['MemberEnrolled']);
  });

  it('does not invite someone whose departure HR sent first', async () => {
    const { repo, members, events } = memoryRepo();
    const departed: HrEvent = {
      ...envelope,
      'detail-type': 'EmployeeDeparted',
      time: '2026-09-02T02:00:00Z',
      account: '1',
      region: 'ap-east-1',
      resources: [],
      detail: {
        eventId: 'dep-E5004',
        occurredAt: '2026-09-02T10:00:00+08:00',
        employeeId: 'E5004',
        reason: 'resigned',
        departureDate: '2026-09-02',
      },
    } as HrEvent;
    await applyHrEvents([departed, hired('E5004')], withSettings(repo));
    expect(members.get('E5004')?.invitation).toBeUndefined();
    expect(events).toEqual([]);
  });
});

describe('transfers announced ahead', () => {
  const dueFrom = (members: Map<string, Member>) => ({
    dueOn: async (date: string) =>
      [...members.values()]
        .filter((m) => m.pendingPlacement && m.pendingPlacement.effectiveDate <= date)
        .map((m) => m.employeeId),
  });

  it('keeps the branch until the effective date, then moves the member once and says so', async () => {
    const { repo, members, events } = memoryRepo({ EE: { code: 'B-EE', name: '电气分工会' } });
    await applyHrEvents([hired('T9')], deps(repo));
    // HR announces on 1 Nov a transfer effective 1 Dec.
    const announced: HrEvent = { ...transferred('T9', '2026-11-01T09:00:00+08:00', 'EE') };
    (announced.detail as { effectiveDate: string }).effectiveDate = '2026-12-01';
    await applyHrEvents([announced], deps(repo, '2026-11-01T02:00:00Z'));
    expect(members.get('T9')).toMatchObject({
      department: { code: 'CS' },
      pendingPlacement: { department: { code: 'EE' }, effectiveDate: '2026-12-01' },
    });
    expect(events.map((e) => e.detailType)).toEqual(['MemberEnrolled']);

    const transferDeps = {
      repo,
      due: dueFrom(members),
      now: () => new Date('2026-11-30T16:10:00Z'),
      newId: deps(repo).newId,
    };
    expect(await applyDueTransfers('2026-11-30', transferDeps)).toEqual({ due: 0, moved: 0, settled: 0 });
    expect(await applyDueTransfers('2026-12-01', transferDeps)).toEqual({ due: 1, moved: 1, settled: 1 });
    expect(await applyDueTransfers('2026-12-01', transferDeps)).toEqual({ due: 0, moved: 0, settled: 0 });
    const moved = members.get('T9')!;
    expect(moved).toMatchObject({
      department: { code: 'EE' },
      branch: { code: 'B-EE' },
      placementSince: '2026-12-01',
    });
    expect(moved.pendingPlacement).toBeUndefined();
    // The move is history from its effective date, dated when HR announced it.
    expect(moved.history?.filter((e) => e.kind === 'placement')).toEqual([
      {
        kind: 'placement',
        on: '2026-09-01',
        at: '2026-08-25T02:00:00.000Z',
        department: { code: 'CS', name: '计算机学院' },
        branch: { code: 'SCHOOL', name: '校工会直属' },
      },
      {
        kind: 'placement',
        on: '2026-12-01',
        at: '2026-11-01T01:00:00.000Z',
        department: { code: 'EE', name: 'EE' },
        branch: { code: 'B-EE', name: '电气分工会' },
      },
    ]);
    expect(events.map((e) => e.detailType)).toEqual(['MemberEnrolled', 'MemberTransferred']);
    expect(events[1]!.detail).toMatchObject({
      effectiveDate: '2026-12-01',
      from: { department: { code: 'CS' } },
    });
  });

  it('a later HR placement overtakes an announced transfer', async () => {
    const { repo, members } = memoryRepo();
    await applyHrEvents([hired('T8')], deps(repo));
    const announced = transferred('T8', '2026-11-01T09:00:00+08:00', 'EE');
    (announced.detail as { effectiveDate: string }).effectiveDate = '2026-12-01';
    await applyHrEvents([announced], deps(repo, '2026-11-01T02:00:00Z'));
    await applyHrEvents(
      [transferred('T8', '2026-11-15T09:00:00+08:00', 'MA')],
      deps(repo, '2026-11-15T02:00:00Z'),
    );
    expect(members.get('T8')).toMatchObject({ department: { code: 'MA' } });
    expect(members.get('T8')!.pendingPlacement).toBeUndefined();
  });
});
