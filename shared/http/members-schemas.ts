/** Request and response schemas of the members API: validation and the OpenAPI document share them. */
import * as z from 'zod/mini';
import { employeeHiredDetail } from '../../events/hr.ts';
import { MAX_IMPORT_ROWS } from '../domain/members/import-members.ts';

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

const branchRef = z.object({ code: z.string(), name: z.string() });
const departmentRef = z.object({ code: z.string(), name: z.string() });
const statuses = z.enum(['active', 'retired', 'left', 'transferred_out', 'expelled']);

/** A chunk of the staff CSV, as the browser parsed it: each row by column name, with its line in the file. */
const cell = z.optional(z.string().check(z.maxLength(256)));
export const importRow = z.object({
  /** The row's line in the file (the header is line 1): results name it. */
  line: z.number().check(z.int(), z.minimum(2), z.maximum(1_000_000)),
  employeeId: cell,
  name: cell,
  gender: cell,
  birthDate: cell,
  email: cell,
  mobile: cell,
  departmentCode: cell,
  departmentName: cell,
  position: cell,
  category: cell,
  employmentType: cell,
  hireDate: cell,
});
export const importBody = z.strictObject({
  rows: z.array(importRow).check(z.minLength(1), z.maxLength(MAX_IMPORT_ROWS)),
});

const reason = z.object({ field: z.string(), message: z.string() });
export const importResponse = z.object({
  rows: z.number(),
  enrolled: z.number(),
  alreadyMembers: z.number(),
  rejected: z.number(),
  results: z.array(
    z.union([
      z.object({
        line: z.number(),
        employeeId: z.string(),
        outcome: z.literal('enrolled'),
        memberId: z.string(),
        membershipNumber: z.string(),
        branch: branchRef,
        branchAssignedByDefault: z.boolean(),
      }),
      z.object({
        line: z.number(),
        employeeId: z.string(),
        outcome: z.literal('already_member'),
        memberId: z.string(),
        membershipNumber: nullableString,
        status: nullableString,
        branch: z.nullable(branchRef),
      }),
      z.object({
        line: z.number(),
        employeeId: nullableString,
        outcome: z.literal('rejected'),
        reasons: z.array(reason),
      }),
    ]),
  ),
});

export const memberHistoryResponse = z.object({
  memberId: z.string(),
  current: z.object({
    status: z.nullable(statuses),
    statusSince: nullableString,
    department: z.nullable(departmentRef),
    branch: z.nullable(branchRef),
    placementSince: nullableString,
    joinedOn: nullableString,
  }),
  items: z.array(
    z.object({
      kind: z.enum(['enrolled', 'status', 'placement']),
      on: z.string(),
      at: z.string(),
      status: z.nullable(statuses),
      department: z.nullable(departmentRef),
      branch: z.nullable(branchRef),
      reason: nullableString,
    }),
  ),
});

export const departmentsResponse = z.object({
  items: z.array(
    z.object({
      departmentCode: z.string(),
      departmentName: z.string(),
      branch: branchRef,
      contactEmail: z.optional(z.string()),
      updatedAt: z.string(),
      updatedBy: z.string(),
    }),
  ),
  unknownDepartments: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      members: z.number(),
      mapped: z.boolean(),
    }),
  ),
});
