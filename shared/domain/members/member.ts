/** The member: what the union knows of a colleague who belongs to it. */
export type MemberStatus = 'active' | 'retired' | 'left' | 'transferred_out' | 'expelled';

export interface Branch {
  code: string;
  name: string;
}

/** Members whose department has no branch mapping sit directly under the school union. */
export const SCHOOL_UNION: Branch = { code: 'SCHOOL', name: '校工会直属' };

export interface Member {
  memberId: string;
  employeeId: string;
  membershipNumber: string;
  name: string;
  gender: 'female' | 'male';
  birthDate: string;
  email: string;
  mobile?: string;
  department: { code: string; name: string };
  branch: Branch;
  branchAssignedByDefault: boolean;
  womenFederation: boolean;
  status: MemberStatus;
  category?: string;
  employmentType?: string;
  position?: string;
  hireDate?: string;
  joinedOn: string;
  /** occurredAt of the last HR event applied: later state wins, whatever the arrival order. */
  lastEventAt: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const formatMembershipNumber = (prefix: string, year: number, sequence: number): string => {
  if (sequence > 999_999) throw new Error(`membership numbers for ${year} are exhausted`);
  return `${prefix}-${year}-${String(sequence).padStart(6, '0')}`;
};
