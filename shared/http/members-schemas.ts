/** Request and response schemas of the members API: validation and the OpenAPI document share them. */
import * as z from 'zod/mini';
import { employeeHiredDetail } from '../../events/hr.ts';

const { eventId: _e, occurredAt: _o, ...hireFields } = employeeHiredDetail.shape;
export const manualEnrolmentBody = z.strictObject(hireFields);

export const leaveBody = z.strictObject({ reason: z.optional(z.string().check(z.maxLength(500))) });

/** The token from the invitation's link (43 base64url characters: 32 random bytes). */
export const acceptInvitationBody = z.strictObject({
  token: z.string().check(z.minLength(16), z.maxLength(128), z.regex(/^[A-Za-z0-9_-]+$/)),
});

export const departmentBody = z.strictObject({
  departmentName: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
  branch: z.strictObject({
    code: z.string().check(z.regex(/^[\w.-]{1,32}$/)),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
  }),
  contactEmail: z.optional(z.email().check(z.maxLength(254))),
});

export const memberListQuery = z.strictObject({
  branch: z.optional(z.string().check(z.maxLength(32))),
  status: z.optional(z.enum(['active', 'retired', 'left', 'transferred_out', 'expelled'])),
  q: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

const nullableString = z.nullable(z.string());
const codeAndName = z.object({ code: z.string(), name: z.string() });
/** A transfer HR announced ahead, until it takes effect or a later placement overtakes it. */
export const pendingTransferResponse = z.object({
  department: codeAndName,
  /** The branch the department maps to, as apply-transfers will map it on the date. */
  branch: codeAndName,
  effectiveDate: z.iso.date(),
});
export const memberResponse = z.object({
  memberId: z.string(),
  employeeId: z.string(),
  membershipNumber: nullableString,
  name: nullableString,
  gender: z.nullable(z.enum(['female', 'male'])),
  birthDate: nullableString,
  email: nullableString,
  mobile: nullableString,
  status: nullableString,
  statusSince: nullableString,
  department: z.nullable(codeAndName),
  branch: z.nullable(codeAndName),
  womenFederation: z.boolean(),
  hireDate: nullableString,
  joinedOn: nullableString,
  pendingTransfer: z.nullable(pendingTransferResponse),
  version: z.number(),
});
export const memberListResponse = z.object({
  items: z.array(memberResponse),
  cursor: z.optional(z.string()),
});
