/** Domain events of the members context. */
import * as z from 'zod/mini';
import { defineEvent } from './domain.ts';

export const MEMBERS_SOURCE = 'gonghui.members';

const branch = z.object({ code: z.string(), name: z.string() });

export const MemberEnrolled = defineEvent(MEMBERS_SOURCE, 'MemberEnrolled', 1, {
  memberId: z.string(),
  employeeId: z.string(),
  membershipNumber: z.string(),
  name: z.string(),
  email: z.string(),
  branch,
  /** The department had no branch mapping: the member sits under the school union directly. */
  branchAssignedByDefault: z.boolean(),
  womenFederation: z.boolean(),
  joinedOn: z.iso.date(),
});
export type MemberEnrolledDetail = z.infer<typeof MemberEnrolled.schema>;
