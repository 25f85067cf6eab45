/**
 * Every DynamoDB key in one place. Items carry an `entity` attribute so that stream filters and
 * readers can tell them apart without parsing keys.
 */
export const ENTITY = {
  member: 'Member',
  membershipCounter: 'MembershipCounter',
  outboxEvent: 'OutboxEvent',
  mail: 'Mail',
  branchMapping: 'BranchMapping',
} as const;

export const keys = {
  /** A member, found by 工号 (HR's employee id): HR's events address members by it. */
  memberByEmployee: (employeeId: string) => ({ PK: `EMPLOYEE#${employeeId}`, SK: 'MEMBER' }),
  /** GSI1: a member by memberId (the id the API uses). */
  memberIdIndex: (memberId: string) => ({ GSI1PK: `MEMBERID#${memberId}`, GSI1SK: 'MEMBER' }),
  /** GSI2: members of a branch, ordered by membership number. */
  branchIndex: (branch: string, membershipNumber: string) => ({
    GSI2PK: `BRANCH#${branch}`,
    GSI2SK: `MEMBER#${membershipNumber}`,
  }),
  /** GSI3: every member, ordered by membership number (chair and admins list them all). */
  allMembersIndex: (membershipNumber: string) => ({ GSI3PK: 'MEMBERS', GSI3SK: membershipNumber }),
  /** The last membership number given out in a year: updated in the enrolment transaction. */
  membershipCounter: (year: number) => ({ PK: 'COUNTER#MEMBERSHIP', SK: `YEAR#${year}` }),
  /** Department → branch union, managed by officers. */
  branchMapping: (departmentCode: string) => ({ PK: 'BRANCHMAP', SK: `DEPT#${departmentCode}` }),
  /** A domain event waiting for the stream to publish it. */
  outboxEvent: (eventId: string) => ({ PK: `OUTBOX#${eventId}`, SK: 'EVENT' }),
  /** One mail, claimed before sending and completed after: the idempotency record of send-email. */
  mail: (notificationId: string) => ({ PK: `MAIL#${notificationId}`, SK: 'MAIL' }),
  /** GSI1: sent mail by day, for `gonghui mail list` and audits. */
  mailByDay: (day: string, sentAt: string, notificationId: string) => ({
    GSI1PK: `MAILDAY#${day}`,
    GSI1SK: `${sentAt}#${notificationId}`,
  }),
} as const;

export const DAY_SECONDS = 86_400;
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
