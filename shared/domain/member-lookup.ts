/**
 * What the union-life contexts (activities, mutual aid, awards) need to know of a caller or a
 * nominee: whether they are a member, and their name, work email and branch. Looked up by 工号
 * (the token's subject).
 */
export interface MemberInfo {
  employeeId: string;
  name?: string;
  email?: string;
  status?: string;
  branch?: { code: string; name: string };
}

export interface MemberLookup {
  /** Members by 工号; ids that are not members are absent from the map. */
  many(employeeIds: string[]): Promise<Map<string, MemberInfo>>;
}

export const isActiveMember = (m: MemberInfo | undefined): m is MemberInfo =>
  m !== undefined && m.status === 'active';

export const recipientOf = (m: MemberInfo | undefined) =>
  m?.email ? { email: m.email, ...(m.name ? { name: m.name } : {}) } : null;

/** Every active member (reminders to everyone who has not decided). */
export interface MemberRoster {
  active(): Promise<MemberInfo[]>;
}
