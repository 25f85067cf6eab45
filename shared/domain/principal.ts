/** Who is acting: the verified caller, as use cases see it. */
/** `auditor`: the funds audit committee (经审), reads the care ledger. */
export const ROLES = [
  'member',
  'delegate',
  'committee',
  'department',
  'officer',
  'chair',
  'admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** The token's subject: the caller's 工号 (employee id) at the university SSO. */
  sub: string;
  roles: ReadonlySet<Role>;
  /** The department code, for the `department` role. */
  department?: string;
  /** The branch union code, for officers of a branch. */
  branch?: string;
}

export const hasAnyRole = (p: Principal, ...roles: Role[]): boolean => roles.some((r) => p.roles.has(r));
