/**
 * HR's employment events: the contract in ../shared/contracts/hr-events.md, as zod schemas.
 * Parsed strictly: an unknown detail-type, a missing field or a malformed value is a clear
 * rejection (the message goes to the DLQ with the reason), never a crash.
 *
 * zod/mini rather than classic zod: the same validation for a twentieth of the bundle, which
 * keeps every function's cold start within budget (see BENCHMARKS.md).
 */
import * as z from 'zod/mini';

export const HR_SOURCE = 'university.hr';

const isoDate = z.iso.date();
const isoDateTimeWithOffset = z.iso.datetime({ offset: true });
const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));
const department = z.object({ code: text(1, 32), name: text(1, 128) });
export const genderSchema = z.enum(['female', 'male']);

const common = {
  eventId: z.string().check(z.minLength(1), z.maxLength(64)),
  occurredAt: isoDateTimeWithOffset,
  employeeId: z.string().check(z.minLength(1), z.maxLength(32)),
};

// Chinese names may hold characters outside the BMP (𠮷): count code points, not UTF-16 units.
const personName = z.string().check(
  z.trim(),
  z.minLength(1),
  z.refine((s) => [...s].length <= 64, { message: 'at most 64 characters' }),
);
const email = z.email().check(z.maxLength(254));
const mobile = z.string().check(z.minLength(1), z.maxLength(32));

export const employeeHiredDetail = z.object({
  ...common,
  name: personName,
  gender: genderSchema,
  birthDate: isoDate,
  email,
  mobile: z.optional(mobile),
  department,
  position: z.optional(z.string().check(z.maxLength(64))),
  category: z.enum(['teaching', 'administrative', 'support', 'research']),
  employmentType: z.enum(['permanent', 'contract', 'dispatched']),
  hireDate: isoDate,
});

export const employeeDepartedDetail = z.object({
  ...common,
  departureDate: isoDate,
  reason: z.enum(['resigned', 'dismissed', 'contract_ended', 'deceased']),
});

export const employeeRetiredDetail = z.object({ ...common, retirementDate: isoDate });

export const employeeTransferredDetail = z.object({ ...common, department, effectiveDate: isoDate });

export const employeeUpdatedDetail = z.object({
  ...common,
  changes: z
    .strictObject({
      name: z.optional(personName),
      email: z.optional(email),
      mobile: z.optional(mobile),
      birthDate: z.optional(isoDate),
      gender: z.optional(genderSchema),
    })
    .check(z.refine((c) => Object.keys(c).length > 0, { message: 'at least one change' })),
});

export const HR_DETAIL_SCHEMAS = {
  EmployeeHired: employeeHiredDetail,
  EmployeeDeparted: employeeDepartedDetail,
  EmployeeRetired: employeeRetiredDetail,
  EmployeeTransferred: employeeTransferredDetail,
  EmployeeUpdated: employeeUpdatedDetail,
} as const;

export type HrDetailType = keyof typeof HR_DETAIL_SCHEMAS;
export const HR_DETAIL_TYPES = Object.keys(HR_DETAIL_SCHEMAS) as HrDetailType[];

/** The EventBridge envelope as HR sends it (fields Gonghui relies on). */
const envelope = {
  version: z.optional(z.string()),
  id: z.string().check(z.minLength(1)),
  source: z.literal(HR_SOURCE),
  account: z.optional(z.string()),
  time: z.optional(z.string()),
  region: z.optional(z.string()),
  resources: z.optional(z.array(z.string())),
};

export const hrEventSchema = z.discriminatedUnion('detail-type', [
  z.object({ ...envelope, 'detail-type': z.literal('EmployeeHired'), detail: employeeHiredDetail }),
  z.object({ ...envelope, 'detail-type': z.literal('EmployeeDeparted'), detail: employeeDepartedDetail }),
  z.object({ ...envelope, 'detail-type': z.literal('EmployeeRetired'), detail: employeeRetiredDetail }),
  z.object({
    ...envelope,
    'detail-type': z.literal('EmployeeTransferred'),
    detail: employeeTransferredDetail,
  }),
  z.object({ ...envelope, 'detail-type': z.literal('EmployeeUpdated'), detail: employeeUpdatedDetail }),
]);

export type HrEvent = z.infer<typeof hrEventSchema>;
export type EmployeeHired = z.infer<typeof employeeHiredDetail>;
export type EmployeeDeparted = z.infer<typeof employeeDepartedDetail>;
export type EmployeeRetired = z.infer<typeof employeeRetiredDetail>;
export type EmployeeTransferred = z.infer<typeof employeeTransferredDetail>;
export type EmployeeUpdated = z.infer<typeof employeeUpdatedDetail>;
