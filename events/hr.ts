/**
 * HR's employment events: the contract in ../shared/contracts/hr-events.md, as zod schemas.
 * Parsed strictly: an unknown detail-type, a missing field or a malformed value is a clear
 * rejection (the message goes to the DLQ with the reason), never a crash.
 */
import { z } from 'zod';

export const HR_SOURCE = 'university.hr';

const isoDate = z.iso.date();
const isoDateTimeWithOffset = z.iso.datetime({ offset: true });
const department = z.object({ code: z.string().trim().min(1).max(32), name: z.string().trim().min(1).max(128) });
export const genderSchema = z.enum(['female', 'male']);

const common = {
  eventId: z.string().min(1).max(64),
  occurredAt: isoDateTimeWithOffset,
  employeeId: z.string().min(1).max(32),
};

// Chinese names may hold characters outside the BMP (𠮷): count code points, not UTF-16 units.
const personName = z
  .string()
  .trim()
  .min(1)
  .refine((s) => [...s].length <= 64, { message: 'at most 64 characters' });

export const employeeHiredDetail = z.object({
  ...common,
  name: personName,
  gender: genderSchema,
  birthDate: isoDate,
  email: z.email().max(254),
  mobile: z.string().min(1).max(32).optional(),
  department,
  position: z.string().max(64).optional(),
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
    .object({
      name: personName.optional(),
      email: z.email().max(254).optional(),
      mobile: z.string().min(1).max(32).optional(),
      birthDate: isoDate.optional(),
      gender: genderSchema.optional(),
    })
    .strict()
    .refine((c) => Object.keys(c).length > 0, { message: 'at least one change' }),
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
const envelope = z.object({
  version: z.string().optional(),
  id: z.string().min(1),
  source: z.literal(HR_SOURCE),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
});

export const hrEventSchema = z.discriminatedUnion('detail-type', [
  envelope.extend({ 'detail-type': z.literal('EmployeeHired'), detail: employeeHiredDetail }),
  envelope.extend({ 'detail-type': z.literal('EmployeeDeparted'), detail: employeeDepartedDetail }),
  envelope.extend({ 'detail-type': z.literal('EmployeeRetired'), detail: employeeRetiredDetail }),
  envelope.extend({ 'detail-type': z.literal('EmployeeTransferred'), detail: employeeTransferredDetail }),
  envelope.extend({ 'detail-type': z.literal('EmployeeUpdated'), detail: employeeUpdatedDetail }),
]);

export type HrEvent = z.infer<typeof hrEventSchema>;
export type EmployeeHired = z.infer<typeof employeeHiredDetail>;
export type EmployeeDeparted = z.infer<typeof employeeDepartedDetail>;
export type EmployeeRetired = z.infer<typeof employeeRetiredDetail>;
export type EmployeeTransferred = z.infer<typeof employeeTransferredDetail>;
export type EmployeeUpdated = z.infer<typeof employeeUpdatedDetail>;
