/** Domain events of the members context. */
import * as z from 'zod/mini';
import { defineEvent } from './domain.ts';

export const MEMBERS_SOURCE = 'gonghui.members';

const branch = z.object({ code: z.string(), name: z.string() });
const department = z.object({ code: z.string(), name: z.string() });
const member = { memberId: z.string(), employeeId: z.string() };

export const MemberEnrolled = defineEvent(MEMBERS_SOURCE, 'MemberEnrolled', 1, {
  ...member,
  membershipNumber: z.string(),
  name: z.string(),
  email: z.string(),
  /** `left` or `retired` when HR's later events arrived before the hire: no welcome then. */
  status: z.enum(['active', 'retired', 'left', 'transferred_out', 'expelled']),
  branch,
  /** The department had no branch mapping: the member sits under the school union directly. */
  branchAssignedByDefault: z.boolean(),
  womenFederation: z.boolean(),
  joinedOn: z.iso.date(),
  /**
   * hr: HR's hire; manual: an officer enrolled them; import: the initial load of existing
   * members; invitation: they confirmed HR's hire through their invitation (confirm mode).
   */
  origin: z.enum(['hr', 'manual', 'import', 'invitation']),
});
export type MemberEnrolledDetail = z.infer<typeof MemberEnrolled.schema>;

export const MemberLeft = defineEvent(MEMBERS_SOURCE, 'MemberLeft', 1, {
  ...member,
  reason: z.string(),
  departureDate: z.iso.date(),
  branch,
});

export const MemberRetired = defineEvent(MEMBERS_SOURCE, 'MemberRetired', 1, {
  ...member,
  retirementDate: z.iso.date(),
});

export const MemberTransferred = defineEvent(MEMBERS_SOURCE, 'MemberTransferred', 1, {
  ...member,
  from: z.object({ department: z.optional(department), branch: z.optional(branch) }),
  to: z.object({ department, branch }),
  effectiveDate: z.iso.date(),
});

/** Names of the changed fields only: the values are personal data and stay in the table. */
export const MemberUpdated = defineEvent(MEMBERS_SOURCE, 'MemberUpdated', 1, {
  ...member,
  fields: z.array(z.string()),
});

/**
 * Confirm mode: HR's hire invites the person; they become a member by confirming through the
 * link. The link carries the only copy of the token (the member keeps its hash), so this event is
 * as private as the mail it becomes.
 */
export const MemberInvited = defineEvent(MEMBERS_SOURCE, 'MemberInvited', 1, {
  ...member,
  name: z.string(),
  email: z.string(),
  branch,
  acceptUrl: z.string(),
  expiresOn: z.iso.date(),
});

/** HR's hire of dispatched staff under the `skip` setting: not enrolled; the office decides. */
export const EnrolmentSkipped = defineEvent(MEMBERS_SOURCE, 'EnrolmentSkipped', 1, {
  ...member,
  reason: z.enum(['dispatched']),
  department,
  branch,
});

export const MEMBER_EVENTS = [
  MemberEnrolled,
  MemberLeft,
  MemberRetired,
  MemberTransferred,
  MemberUpdated,
  MemberInvited,
  EnrolmentSkipped,
] as const;
