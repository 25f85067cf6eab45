/**
 * How one HR event changes a member, as a pure function. Fields are last-writer-wins by the
 * event's stamp, so applying HR's events in any order, any number of times, ends in the state
 * they describe in `occurredAt` order.
 */
import type { HrEvent } from '../../../events/hr.ts';
import { shanghaiDate } from '../time.ts';
import {
  AUTOMATIC_ENROLMENT,
  addHistory,
  type Branch,
  branchOfDepartment,
  type EnrolmentSettings,
  INVITATION_VALID_DAYS,
  type Member,
  type MemberStatus,
  type Stamped,
  stampOf,
} from './member.ts';

export type MemberChange =
  | { kind: 'enrolled'; origin: 'hr' | 'manual' | 'import' }
  | { kind: 'left'; reason: string; departureDate: string }
  | { kind: 'retired'; retirementDate: string }
  | {
      kind: 'transferred';
      from?: { department?: Member['department']; branch?: Branch };
      effectiveDate: string;
    }
  | { kind: 'updated'; fields: string[] }
  /** Confirm mode: the person was invited; the token goes out in the mail, only its hash stays. */
  | { kind: 'invited'; token: string; expiresOn: string }
  /** Dispatched staff under `skip`: not enrolled, and the union office is told. */
  | { kind: 'notEnrolled'; reason: 'dispatched' };

export interface ApplyContext {
  branches: ReadonlyMap<string, Branch>;
  newMemberId: () => string;
  now: Date;
  origin: 'hr' | 'manual' | 'import';
  /** The deployment's enrolment settings; they apply to HR's hires only (an officer's or the import's enrolment is a decision already). */
  enrolment?: EnrolmentSettings;
  /** A fresh invitation token and its hash (confirm mode). */
  newInvitationToken?: () => { token: string; hash: string };
}

const addDays = (isoDate: string, days: number): string => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const blank = (employeeId: string, ctx: ApplyContext): Member => ({
  memberId: ctx.newMemberId(),
  employeeId,
  enrolled: false,
  stamps: {},
  care: {},
  createdAt: ctx.now.toISOString(),
  updatedAt: ctx.now.toISOString(),
  version: 0,
});

/** Puts the member in a department and the branch it maps to (the school union when unmapped). */
export const placeMember = (
  m: Member,
  department: { code: string; name: string },
  since: string,
  branches: ReadonlyMap<string, Branch>,
) => {
  m.department = department;
  m.branch = branchOfDepartment(department.code, branches);
  m.branchAssignedByDefault = !branches.has(department.code);
  m.placementSince = since;
};

/** A transfer taking effect: the member moves, any announced one is settled, and the change is news if they moved. */
export const transferNow = (
  m: Member,
  department: { code: string; name: string },
  effectiveDate: string,
  branches: ReadonlyMap<string, Branch>,
): MemberChange | undefined => {
  const from = {
    ...(m.department ? { department: m.department } : {}),
    ...(m.branch ? { branch: m.branch } : {}),
  };
  const moved = m.department?.code !== department.code;
  placeMember(m, department, effectiveDate, branches);
  delete m.pendingPlacement;
  return moved ? { kind: 'transferred', from, effectiveDate } : undefined;
};

const missingTokenSource = (): never => {
  throw new Error('confirm mode needs an invitation token source (ApplyContext.newInvitationToken)');
};

export const applyHrEvent = (
  current: Member | undefined,
  event: HrEvent,
  ctx: ApplyContext,
): { member: Member; changes: MemberChange[] } => {
  const d = event.detail;
  const stamp = stampOf(d.occurredAt, d.eventId);
  const at = new Date(d.occurredAt).toISOString();
  const m: Member = structuredClone(current ?? blank(d.employeeId, ctx));
  const changes: MemberChange[] = [];
  /** Sets a stamped field group if this event is later than the one that last set it. */
  const later = (field: Stamped): boolean => {
    const previous = m.stamps[field];
    if (previous !== undefined && previous >= stamp) return false;
    m.stamps[field] = stamp;
    return true;
  };
  const setStatus = (status: MemberStatus, since: string): boolean => {
    if (!later('status')) return false;
    const changed = m.status !== status;
    m.status = status;
    m.statusSince = since;
    return changed;
  };
  const place = (department: { code: string; name: string }, since: string) =>
    placeMember(m, department, since, ctx.branches);
  const profile = (
    changesIn: Partial<Pick<Member, 'name' | 'email' | 'mobile' | 'birthDate' | 'gender'>>,
  ) => {
    const fields: string[] = [];
    for (const [field, value] of Object.entries(changesIn) as Array<
      [keyof typeof changesIn, string | undefined]
    >) {
      if (value === undefined || !later(field)) continue;
      const normalised = field === 'email' ? value.toLowerCase() : value;
      if ((m as unknown as Record<string, unknown>)[field] !== normalised) {
        (m as unknown as Record<string, unknown>)[field] = normalised;
        fields.push(field);
      }
    }
    if (m.gender) m.womenFederation = m.gender === 'female';
    return fields;
  };

  switch (event['detail-type']) {
    case 'EmployeeHired': {
      const h = event.detail;
      addHistory(
        m,
        { kind: 'status', on: h.hireDate, at, status: 'active' },
        {
          kind: 'placement',
          on: h.hireDate,
          at,
          department: h.department,
          branch: branchOfDepartment(h.department.code, ctx.branches),
        },
      );
      profile({ name: h.name, email: h.email, mobile: h.mobile, birthDate: h.birthDate, gender: h.gender });
      if (later('placement')) {
        place(h.department, h.hireDate);
        delete m.pendingPlacement;
      }
      setStatus('active', h.hireDate);
      if (!m.enrolled) {
        m.category = h.category;
        m.employmentType = h.employmentType;
        if (h.position) m.position = h.position;
        m.hireDate = h.hireDate;
        const rules = ctx.origin === 'hr' ? (ctx.enrolment ?? AUTOMATIC_ENROLMENT) : AUTOMATIC_ENROLMENT;
        if (rules.dispatched === 'skip' && h.employmentType === 'dispatched') {
          // Told once; an officer may still enrol them by hand (POST /members).
          if (m.notEnrolledReason === undefined && m.status === 'active') {
            m.notEnrolledReason = 'dispatched';
            changes.push({ kind: 'notEnrolled', reason: 'dispatched' });
          }
        } else if (rules.mode === 'confirm') {
          // Invited once: a redelivered hire finds the invitation and sends nothing again.
          if (m.invitation === undefined && m.status === 'active') {
            const { token, hash } = (ctx.newInvitationToken ?? missingTokenSource)();
            const today = shanghaiDate(ctx.now);
            const expiresOn = addDays(today, INVITATION_VALID_DAYS);
            m.invitation = { tokenHash: hash, invitedAt: ctx.now.toISOString(), expiresOn };
            changes.push({ kind: 'invited', token, expiresOn });
          }
        } else {
          m.enrolled = true;
          const occurredOn = shanghaiDate(new Date(h.occurredAt));
          // The later of the hire date and the day HR announced it (ISO dates sort as strings).
          m.joinedOn = [h.hireDate, occurredOn].sort().at(-1)!;
          addHistory(m, { kind: 'enrolled', on: m.joinedOn, at, reason: ctx.origin });
          changes.push({ kind: 'enrolled', origin: ctx.origin });
        }
      }
      break;
    }
    case 'EmployeeDeparted': {
      const x = event.detail;
      addHistory(m, { kind: 'status', on: x.departureDate, at, status: 'left', reason: x.reason });
      if (setStatus('left', x.departureDate)) {
        m.departureReason = x.reason;
        changes.push({ kind: 'left', reason: x.reason, departureDate: x.departureDate });
      }
      break;
    }
    case 'EmployeeRetired': {
      const x = event.detail;
      addHistory(m, { kind: 'status', on: x.retirementDate, at, status: 'retired' });
      if (setStatus('retired', x.retirementDate))
        changes.push({ kind: 'retired', retirementDate: x.retirementDate });
      break;
    }
    case 'EmployeeTransferred': {
      const x = event.detail;
      // A transfer HR announced ahead is history once it takes effect (apply-transfers records it).
      if (x.effectiveDate <= shanghaiDate(ctx.now)) {
        addHistory(m, {
          kind: 'placement',
          on: x.effectiveDate,
          at,
          department: x.department,
          branch: branchOfDepartment(x.department.code, ctx.branches),
        });
      }
      if (later('placement')) {
        if (x.effectiveDate > shanghaiDate(ctx.now)) {
          // Announced ahead: the branch follows on the effective date (apply-transfers, daily).
          m.pendingPlacement = { department: x.department, effectiveDate: x.effectiveDate };
        } else {
          const change = transferNow(m, x.department, x.effectiveDate, ctx.branches);
          if (change) changes.push(change);
        }
      }
      break;
    }
    case 'EmployeeUpdated': {
      const fields = profile(event.detail.changes);
      if (fields.length) changes.push({ kind: 'updated', fields });
      break;
    }
  }
  const touched = JSON.stringify(m) !== JSON.stringify(current ?? null);
  if (touched) m.updatedAt = ctx.now.toISOString();
  // Only an enrolled member's changes are news; a placeholder's wait for the hire (but an
  // invitation, or the office's notice about a skipped hire, is news about a person not yet in).
  return {
    member: m,
    changes: m.enrolled ? changes : changes.filter((c) => c.kind === 'invited' || c.kind === 'notEnrolled'),
  };
};
