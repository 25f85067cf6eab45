/**
 * The members context's consumer of HR's events: a batch of events becomes, in one
 * transaction, the new state of every member it touches, the year's membership counter and the
 * domain events to publish. Any concurrent change (another batch moving the counter or touching
 * the same member) cancels the transaction, and the batch is read and applied again.
 *
 * Membership numbers are given out inside that transaction, so they are gap-free and unique per
 * year however many batches run at once.
 */
import type { DomainEvent } from '../../../events/domain.ts';
import type { HrEvent } from '../../../events/hr.ts';
import { MEMBERS_SOURCE } from '../../../events/members.ts';
import { shanghaiYear } from '../time.ts';
import { applyHrEvent, type MemberChange } from './apply-hr-event.ts';
import { type Branch, type EnrolmentSettings, formatMembershipNumber, type Member } from './member.ts';

export interface CounterMove {
  year: number;
  previous: number;
  next: number;
}

export interface MemberRepository {
  load(employeeIds: string[]): Promise<Map<string, Member>>;
  branchesFor(departmentCodes: string[]): Promise<Map<string, Branch>>;
  lastMembershipSequence(year: number): Promise<number>;
  /** Writes everything or nothing; 'conflict' when a condition failed (a concurrent change). */
  save(write: {
    members: Member[];
    /**
     * The members as this write read them (absent: new), whose stored version the write expects:
     * the census counts each member's change from how it was counted before (census.ts).
     */
    before: ReadonlyMap<string, Member>;
    counters: CounterMove[];
    events: DomainEvent[];
    /** Members whose announced transfer is settled (took effect, or was overtaken): their marker goes. */
    settledTransfers?: string[];
  }): Promise<'saved' | 'conflict'>;
}

export interface ApplyDeps {
  repo: MemberRepository;
  membershipPrefix: string;
  now: () => Date;
  newId: () => string;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The deployment's enrolment settings (automatic enrolment when absent). */
  enrolment?: EnrolmentSettings;
  /** A fresh invitation token and its hash (confirm mode). */
  newInvitationToken?: () => { token: string; hash: string };
}

export interface ApplyResult {
  enrolled: number;
  changed: number;
  unchanged: number;
  attempts: number;
}

/** Where enrolments in this batch come from: HR's events, an officer by hand, or the initial import. */
export type EnrolmentOrigin = 'hr' | 'manual' | 'import';

export const applyHrEvents = async (
  events: HrEvent[],
  deps: ApplyDeps,
  origin: EnrolmentOrigin = 'hr',
): Promise<ApplyResult> => {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxAttempts = deps.maxAttempts ?? 100;
  const employeeIds = [...new Set(events.map((e) => e.detail.employeeId))];
  const departments = [
    ...new Set(
      events.flatMap((e) =>
        e['detail-type'] === 'EmployeeHired' || e['detail-type'] === 'EmployeeTransferred'
          ? [e.detail.department.code]
          : [],
      ),
    ),
  ];
  const branches = await deps.repo.branchesFor(departments);

  for (let attempt = 1; ; attempt++) {
    const now = deps.now();
    const current = await deps.repo.load(employeeIds);
    const next = new Map<string, Member>();
    const changes = new Map<string, MemberChange[]>();
    for (const event of events) {
      const id = event.detail.employeeId;
      const result = applyHrEvent(next.get(id) ?? current.get(id), event, {
        branches,
        newMemberId: deps.newId,
        now,
        origin,
        ...(deps.enrolment ? { enrolment: deps.enrolment } : {}),
        ...(deps.newInvitationToken ? { newInvitationToken: deps.newInvitationToken } : {}),
      });
      next.set(id, result.member);
      changes.set(id, [...(changes.get(id) ?? []), ...result.changes]);
    }
    const touched = [...next.values()].filter(
      (m) => JSON.stringify(m) !== JSON.stringify(current.get(m.employeeId)),
    );
    const counters = await numberNewMembers(touched, current, events, deps);
    const domainEvents = touched.flatMap((m) =>
      toDomainEvents(m, changes.get(m.employeeId) ?? [], deps, now),
    );
    const members = touched.map((m) => ({ ...m, version: (current.get(m.employeeId)?.version ?? 0) + 1 }));
    if (members.length === 0)
      return { enrolled: 0, changed: 0, unchanged: employeeIds.length, attempts: attempt };
    const settledTransfers = members
      .filter((m) => current.get(m.employeeId)?.pendingPlacement && !m.pendingPlacement)
      .map((m) => m.employeeId);
    const outcome = await deps.repo.save({
      members,
      before: current,
      counters,
      events: domainEvents,
      settledTransfers,
    });
    if (outcome === 'saved') {
      const enrolled = [...changes.values()].flat().filter((c) => c.kind === 'enrolled').length;
      return {
        enrolled,
        changed: members.length,
        unchanged: employeeIds.length - members.length,
        attempts: attempt,
      };
    }
    if (attempt >= maxAttempts) throw new Error(`HR events kept conflicting after ${attempt} attempts`);
    await sleep(Math.min(250, 5 * 2 ** Math.min(attempt, 6)) * Math.random());
  }
};

/** Gives consecutive numbers, per year of the hire, to the members enrolled by this batch. */
const numberNewMembers = async (
  touched: Member[],
  current: Map<string, Member>,
  events: HrEvent[],
  deps: ApplyDeps,
): Promise<CounterMove[]> => {
  const hires = new Map(
    events
      .filter((e) => e['detail-type'] === 'EmployeeHired')
      .map((e) => [e.detail.employeeId, e.detail.occurredAt]),
  );
  const hireYear = new Map([...hires].map(([id, at]) => [id, shanghaiYear(new Date(at))]));
  // Numbers follow the order of hiring (then 工号), so a batch numbers the same way on every retry.
  const fresh = touched
    .filter((m) => m.enrolled && !current.get(m.employeeId)?.enrolled)
    .sort(
      (a, b) =>
        Date.parse(hires.get(a.employeeId)!) - Date.parse(hires.get(b.employeeId)!) ||
        a.employeeId.localeCompare(b.employeeId),
    );
  const moves: CounterMove[] = [];
  for (const [year, group] of Map.groupBy(fresh, (m) => hireYear.get(m.employeeId)!)) {
    const previous = await deps.repo.lastMembershipSequence(year);
    group.forEach((m, i) => {
      m.membershipNumber = formatMembershipNumber(deps.membershipPrefix, year, previous + i + 1);
    });
    moves.push({ year, previous, next: previous + group.length });
  }
  return moves;
};

/** The MemberEnrolled event of a member who has just become one, whatever the path. */
export const enrolledEvent = (
  m: Member,
  origin: 'hr' | 'manual' | 'import' | 'invitation',
  base: { eventId: string; occurredAt: string; version: number; memberId: string; employeeId: string },
): DomainEvent => ({
  source: MEMBERS_SOURCE,
  detailType: 'MemberEnrolled',
  detail: {
    ...base,
    membershipNumber: m.membershipNumber!,
    name: m.name!,
    email: m.email!,
    status: m.status!,
    branch: m.branch!,
    branchAssignedByDefault: m.branchAssignedByDefault ?? true,
    womenFederation: m.womenFederation ?? false,
    joinedOn: m.joinedOn!,
    origin,
  },
});

export const toDomainEvents = (
  m: Member,
  changes: MemberChange[],
  deps: Pick<ApplyDeps, 'newId' | 'enrolment'>,
  now: Date,
): DomainEvent[] => {
  const base = () => ({
    eventId: deps.newId(),
    occurredAt: now.toISOString(),
    version: 1,
    memberId: m.memberId,
    employeeId: m.employeeId,
  });
  return changes.map((c): DomainEvent => {
    switch (c.kind) {
      case 'enrolled':
        return enrolledEvent(m, c.origin, base());
      case 'invited': {
        const url = new URL(deps.enrolment?.invitationUrl ?? 'https://invalid.example/invitations');
        url.searchParams.set('member', m.memberId);
        url.searchParams.set('token', c.token);
        return {
          source: MEMBERS_SOURCE,
          detailType: 'MemberInvited',
          detail: {
            ...base(),
            name: m.name!,
            email: m.email!,
            branch: m.branch!,
            acceptUrl: url.toString(),
            expiresOn: c.expiresOn,
          },
        };
      }
      case 'notEnrolled':
        return {
          source: MEMBERS_SOURCE,
          detailType: 'EnrolmentSkipped',
          detail: { ...base(), reason: c.reason, department: m.department!, branch: m.branch! },
        };
      case 'left':
        return {
          source: MEMBERS_SOURCE,
          detailType: 'MemberLeft',
          detail: { ...base(), reason: c.reason, departureDate: c.departureDate, branch: m.branch! },
        };
      case 'retired':
        return {
          source: MEMBERS_SOURCE,
          detailType: 'MemberRetired',
          detail: { ...base(), retirementDate: c.retirementDate },
        };
      case 'transferred':
        return {
          source: MEMBERS_SOURCE,
          detailType: 'MemberTransferred',
          detail: {
            ...base(),
            from: c.from ?? {},
            to: { department: m.department!, branch: m.branch! },
            effectiveDate: c.effectiveDate,
          },
        };
      case 'updated':
        return {
          source: MEMBERS_SOURCE,
          detailType: 'MemberUpdated',
          detail: { ...base(), fields: c.fields },
        };
      default:
        throw new Error(`unknown change ${(c as { kind: string }).kind}`);
    }
  });
};
