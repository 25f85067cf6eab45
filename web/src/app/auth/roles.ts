/** The roles the API knows (shared/domain/principal.ts), and who the signed-in user is. */
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
  /** The 工号. */
  sub: string;
  roles: Role[];
  branch?: string;
  department?: string;
}

/** `groups` as a JSON array, or as the bracketed string an HTTP API authorizer passes on. */
const listClaim = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const t = value.trim();
  return (t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t).split(/[\s,]+/).filter(Boolean);
};

const base64UrlJson = (part: string): Record<string, unknown> => {
  const b64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};

/**
 * Who the API will see: read from the access token's claims (the API trusts that token, not the
 * ID token). Only for showing what the user may do; the API checks every request itself.
 */
export const principalFromAccessToken = (token: string): Principal | null => {
  try {
    const claims = base64UrlJson(token.split('.')[1] ?? '');
    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    if (!sub) return null;
    const roles = listClaim(claims.groups).filter((g): g is Role => (ROLES as readonly string[]).includes(g));
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const branch = str(claims.branch);
    const department = str(claims.department);
    return { sub, roles, ...(branch ? { branch } : {}), ...(department ? { department } : {}) };
  } catch {
    return null;
  }
};

export const hasAnyRole = (
  p: { roles: readonly Role[] } | null,
  roles: readonly Role[] | undefined,
): boolean => !roles || roles.length === 0 || (p !== null && roles.some((r) => p.roles.includes(r)));
