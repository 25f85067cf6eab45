/**
 * How one HR event changes a member, as a pure function. Fields are last-writer-wins by the
 * event's stamp, so applying HR's events in any order, any number of times, ends in the state
 * they describe in `occurredAt` order.
 */
import type { HrEvent } from '../../../events/hr.ts';
import { shanghaiDate } from '../time.ts';
import {
  type Branch,
  type Member,
  type MemberStatus,
  SCHOOL_UNION,
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
  | { kind: 'updated'; fields: string[] };

export interface ApplyContext {
  branches: ReadonlyMap<string, Branch>;
  newMemberId: () => string;
  now: Date;
  origin: 'hr' | 'manual' | 'import';
}

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

export const applyHrEvent = (
  current: Member | undefined,
  event: HrEvent,
  ctx: ApplyContext,
): { member: Member; changes: MemberChange[] } => {
  const d = event.detail;
  const stamp = stampOf(d.occurredAt, d.eventId);
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
  const place = (department: { code: string; name: string }, since: string) => {
    const mapped = ctx.branches.get(department.code);
    m.department = department;
    m.branch = mapped ?? SCHOOL_UNION;
    m.branchAssignedByDefault = !mapped;
    m.placementSince = since;
  };
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
      profile({ name: h.name, email: h.email, mobile: h.mobile, birthDate: h.birthDate, gender: h.gender });
      if (later('placement')) place(h.department, h.hireDate);
      setStatus('active', h.hireDate);
      if (!m.enrolled) {
        m.enrolled = true;
        m.category = h.category;
        m.employmentType = h.employmentType;
        if (h.position) m.position = h.position;
        m.hireDate = h.hireDate;
        const occurredOn = shanghaiDate(new Date(h.occurredAt));
        // The later of the hire date and the day HR announced it (ISO dates sort as strings).
        m.joinedOn = [h.hireDate, occurredOn].sort().at(-1)!;
        changes.push({ kind: 'enrolled', origin: ctx.origin });
      }
      break;
    }
    case 'EmployeeDeparted': {
      const x = event.detail;
      if (setStatus('left', x.departureDate)) {
        m.departureReason = x.reason;
        changes.push({ kind: 'left', reason: x.reason, departureDate: x.departureDate });
      }
      break;
    }
    case 'EmployeeRetired': {
      const x = event.detail;
      if (setStatus('retired', x.retirementDate))
        changes.push({ kind: 'retired', retirementDate: x.retirementDate });
      break;
    }
    case 'EmployeeTransferred': {
      const x = event.detail;
      if (later('placement')) {
        const from = {
          ...(m.department ? { department: m.department } : {}),
          ...(m.branch ? { branch: m.branch } : {}),
        };
        const moved = m.department?.code !== x.department.code;
        place(x.department, x.effectiveDate);
        if (moved) changes.push({ kind: 'transferred', from, effectiveDate: x.effectiveDate });
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
  // Only an enrolled member's changes are news; a placeholder's wait for the hire.
  return { member: m, changes: m.enrolled ? changes : [] };
};
