/**
 * The members context's consumer of HR's events: a batch of events becomes, in one
 * transaction, the new state of every member it touches, the year's membership counter and the
 * domain events to publish. A concurrent change to one of its members cancels the transaction,
 * and the batch is read and applied again.
 *
 * Membership numbers are given out inside that transaction, a block per batch and year, so they
 * are gap-free and unique per year however many batches run at once. One batch numbers a year
 * at a time: it takes the right to (a lease on the year's counter, given back by its
 * transaction) and learns the counter's value with it, so a batch that finds the counter moved
 * numbers again without reading the batch again, and two batches never both send a whole
 * transaction of which one must be cancelled (the hires bench: a third of enrolment's
 * transactions were, each as costly to DynamoDB Local as one that commits).
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

/**
 * What a save came to: stored; refused because a member changed meanwhile (read again); refused
 * because another batch is numbering the year right now (try again in a moment, as it was); or
 * refused only because a year's counter is not where the save expected it, with each such
 * counter's value now (the members as read still hold: number them again and save).
 */
export type SaveOutcome = 'saved' | 'conflict' | 'busy' | { counters: Map<number, number> };

/** What a batch of HR events needs before it is applied, read at once. */
export interface BatchRead {
  members: Map<string, Member>;
  branches: Map<string, Branch>;
  /** The last membership number given out in each year asked for (0: none yet). */
  counters: Map<number, number>;
}

export interface MemberRepository {
  load(employeeIds: string[]): Promise<Map<string, Member>>;
  branchesFor(departmentCodes: string[]): Promise<Map<string, Branch>>;
  lastMembershipSequence(year: number): Promise<number>;
  /** The members, the departments' branches and the years' counters, in as few requests as the store allows. */
  readBatch(query: { employeeIds: string[]; departments: string[]; years: number[] }): Promise<BatchRead>;
  /** Writes everything or nothing. */
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
    /**
     * Who numbers (one id for all the saves of a batch). With it, a save first takes the right
     * to number the counters' years, one batch at a time per year; without it, the counters'
     * values alone decide.
     */
    writer?: string;
  }): Promise<SaveOutcome>;
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

/** A batch that finds the year being numbered tries again after about this long (a transaction's time)... */
const WAIT_MS = 20;
/** ...this many times at most (some 20 s: within the function's timeout, beyond any lease). */
const MAX_WAITS = 1_000;

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
  const hires = new Map(
    events
      .filter((e) => e['detail-type'] === 'EmployeeHired')
      .map((e) => [e.detail.employeeId, e.detail.occurredAt]),
  );
  const hireYear = new Map([...hires].map(([id, at]) => [id, shanghaiYear(new Date(at))]));
  const years = [...new Set(hireYear.values())];

  let read = await deps.repo.readBatch({ employeeIds, departments, years });
  const branches = read.branches;
  const writer = deps.newId();
  let attempt = 0;
  let waits = 0;
  for (;;) {
    const now = deps.now();
    const current = read.members;
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
    if (touched.length === 0)
      return { enrolled: 0, changed: 0, unchanged: employeeIds.length, attempts: attempt + 1 };
    // Numbers follow the order of hiring (then 工号), so a batch numbers the same way on every retry.
    const fresh = touched
      .filter((m) => m.enrolled && !current.get(m.employeeId)?.enrolled)
      .sort(
        (a, b) =>
          Date.parse(hires.get(a.employeeId)!) - Date.parse(hires.get(b.employeeId)!) ||
          a.employeeId.localeCompare(b.employeeId),
      );
    const settledTransfers = touched
      .filter((m) => current.get(m.employeeId)?.pendingPlacement && !m.pendingPlacement)
      .map((m) => m.employeeId);
    let counters = read.counters;
    for (;;) {
      attempt++;
      const moves = numberNewMembers(fresh, counters, hireYear, deps.membershipPrefix);
      const domainEvents = touched.flatMap((m) =>
        toDomainEvents(m, changes.get(m.employeeId) ?? [], deps, now),
      );
      const members = touched.map((m) => ({ ...m, version: (current.get(m.employeeId)?.version ?? 0) + 1 }));
      const outcome = await deps.repo.save({
        members,
        before: current,
        counters: moves,
        events: domainEvents,
        settledTransfers,
        writer,
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
      if (outcome === 'busy') {
        // Another batch is numbering the year: its transaction gives it back in a moment.
        attempt--;
        if (++waits > MAX_WAITS) throw new Error(`The year's numbering stayed busy for ${waits} tries`);
        await sleep(WAIT_MS * (0.5 + Math.random()));
        continue;
      }
      if (attempt >= maxAttempts) throw new Error(`HR events kept conflicting after ${attempt} attempts`);
      if (outcome === 'conflict') break;
      // Only the counters stood in the way: number again from where they are now. A counter
      // whose value did not change was in another batch's transaction at that moment: wait a little.
      const moved = moves.some((m) => outcome.counters.get(m.year) !== m.previous);
      counters = new Map([...counters, ...outcome.counters]);
      if (!moved) await sleep(WAIT_MS * Math.random());
    }
    await sleep(Math.min(250, 5 * 2 ** Math.min(attempt, 6)) * Math.random());
    read = await deps.repo.readBatch({ employeeIds, departments: [], years });
  }
};

/** Gives consecutive numbers, per year of the hire, from each year's counter, to the members a batch enrols. */
const numberNewMembers = (
  fresh: Member[],
  counters: Map<number, number>,
  hireYear: Map<string, number>,
  prefix: string,
): CounterMove[] => {
  const moves: CounterMove[] = [];
  for (const [year, group] of Map.groupBy(fresh, (m) => hireYear.get(m.employeeId)!)) {
    const previous = counters.get(year) ?? 0;
    group.forEach((m, i) => {
      m.membershipNumber = formatMembershipNumber(prefix, year, previous + i + 1);
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
