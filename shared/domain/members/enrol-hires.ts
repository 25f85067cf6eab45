/**
 * Enrolment on hire: every hire becomes a member exactly once, whatever the number of
 * deliveries, with a membership number that is gap-free and unique per year.
 *
 * Hires are enrolled in batches: one transaction writes the year's counter, the members and
 * their MemberEnrolled events. Numbers are therefore given out only when the members that carry
 * them are stored (no gaps), and two concurrent batches cannot both take the same numbers (the
 * counter is updated under a condition on its previous value).
 */
import type { EmployeeHired } from '../../../events/hr.ts';
import { MEMBERS_SOURCE, type MemberEnrolledDetail } from '../../../events/members.ts';
import type { DomainEvent } from '../../../events/domain.ts';
import { shanghaiDate, shanghaiYear } from '../time.ts';
import { type Branch, formatMembershipNumber, type Member, SCHOOL_UNION } from './member.ts';

export interface EnrolmentRepository {
  /** Which of these employees are already members. */
  existingEmployees(employeeIds: string[]): Promise<Set<string>>;
  branchesFor(departmentCodes: string[]): Promise<Map<string, Branch>>;
  lastMembershipSequence(year: number): Promise<number>;
  /**
   * Stores members and events with the counter moved from `previous` to `previous + members.length`.
   * Resolves 'counter-moved' if another batch took numbers meanwhile, or the employee ids that
   * turned out to be members already; nothing is written in those cases.
   */
  enrol(
    year: number,
    previous: number,
    members: Member[],
    events: DomainEvent[],
  ): Promise<{ ok: true } | { ok: false; reason: 'counter-moved' } | { ok: false; reason: 'already-members'; employeeIds: string[] }>;
}

export interface EnrolmentDeps {
  repo: EnrolmentRepository;
  membershipPrefix: string;
  now: () => Date;
  newId: () => string;
  /** Attempts when another batch moved the counter first. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type HireOutcome = 'enrolled' | 'already-member';

export const enrolHires = async (hires: EmployeeHired[], deps: EnrolmentDeps): Promise<Map<string, HireOutcome>> => {
  const outcomes = new Map<string, HireOutcome>();
  // The same person twice in one batch (a redelivery): the first one counts.
  const unique = [...new Map(hires.map((h) => [h.employeeId, h])).values()].sort(
    (a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.employeeId.localeCompare(b.employeeId),
  );
  const byYear = Map.groupBy(unique, (h) => shanghaiYear(new Date(h.occurredAt)));
  for (const [year, group] of byYear) {
    for (const [employeeId, outcome] of await enrolYear(year, group, deps)) outcomes.set(employeeId, outcome);
  }
  for (const h of hires) if (!outcomes.has(h.employeeId)) outcomes.set(h.employeeId, 'already-member');
  return outcomes;
};

const enrolYear = async (year: number, hires: EmployeeHired[], deps: EnrolmentDeps) => {
  const outcomes = new Map<string, HireOutcome>();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const existing = await deps.repo.existingEmployees(hires.map((h) => h.employeeId));
  let pending = hires.filter((h) => {
    if (existing.has(h.employeeId)) outcomes.set(h.employeeId, 'already-member');
    return !existing.has(h.employeeId);
  });
  if (pending.length === 0) return outcomes;
  const branches = await deps.repo.branchesFor([...new Set(pending.map((h) => h.department.code))]);
  const memberIds = new Map(pending.map((h) => [h.employeeId, deps.newId()]));
  const maxAttempts = deps.maxAttempts ?? 50;

  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= maxAttempts) throw new Error(`enrolment for ${year} kept conflicting`);
    const previous = await deps.repo.lastMembershipSequence(year);
    const now = deps.now();
    const members = pending.map((h, i) =>
      toMember(h, memberIds.get(h.employeeId)!, formatMembershipNumber(deps.membershipPrefix, year, previous + i + 1), branches, now),
    );
    const events = members.map((m) => memberEnrolled(m, deps.newId(), now));
    const result = await deps.repo.enrol(year, previous, members, events);
    if (result.ok) {
      for (const m of members) outcomes.set(m.employeeId, 'enrolled');
      return outcomes;
    }
    if (result.reason === 'already-members') {
      const taken = new Set(result.employeeIds);
      for (const id of taken) outcomes.set(id, 'already-member');
      pending = pending.filter((h) => !taken.has(h.employeeId));
      continue;
    }
    // Another batch took numbers first: read the counter again after a short, jittered pause.
    await sleep(Math.min(200, 5 * 2 ** Math.min(attempt, 5)) * Math.random());
  }
  return outcomes;
};

const toMember = (h: EmployeeHired, memberId: string, membershipNumber: string, branches: Map<string, Branch>, now: Date): Member => {
  const mapped = branches.get(h.department.code);
  const occurredOn = shanghaiDate(new Date(h.occurredAt));
  return {
    memberId,
    employeeId: h.employeeId,
    membershipNumber,
    name: h.name,
    gender: h.gender,
    birthDate: h.birthDate,
    email: h.email.toLowerCase(),
    ...(h.mobile ? { mobile: h.mobile } : {}),
    department: h.department,
    branch: mapped ?? SCHOOL_UNION,
    branchAssignedByDefault: !mapped,
    womenFederation: h.gender === 'female',
    status: 'active',
    category: h.category,
    employmentType: h.employmentType,
    ...(h.position ? { position: h.position } : {}),
    hireDate: h.hireDate,
    joinedOn: h.hireDate > occurredOn ? h.hireDate : occurredOn,
    lastEventAt: h.occurredAt,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
};

const memberEnrolled = (m: Member, eventId: string, now: Date): DomainEvent<MemberEnrolledDetail> => ({
  source: MEMBERS_SOURCE,
  detailType: 'MemberEnrolled',
  detail: {
    eventId,
    occurredAt: now.toISOString(),
    version: 1,
    memberId: m.memberId,
    employeeId: m.employeeId,
    membershipNumber: m.membershipNumber,
    name: m.name,
    email: m.email,
    branch: m.branch,
    branchAssignedByDefault: m.branchAssignedByDefault,
    womenFederation: m.womenFederation,
    joinedOn: m.joinedOn,
  },
});
