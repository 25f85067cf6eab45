/**
 * Who is calling: read from the JWT claims that API Gateway's JWT authorizer already verified.
 * The authorizer hands claims to the function as strings; an array claim such as `groups`
 * arrives as "[delegate chair]", so both that form and a real array are accepted.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { Unauthorized } from '../domain/errors.ts';
import { type Principal, ROLES, type Role } from '../domain/principal.ts';

export const parseListClaim = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return inner.split(/[\s,]+/).filter(Boolean);
};

type JwtEvent = APIGatewayProxyEventV2 & {
  requestContext: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
};

export const principalOf = (event: APIGatewayProxyEventV2): Principal => {
  const claims = (event as JwtEvent).requestContext.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') throw new Unauthorized('no verified token');
  const roles = new Set(
    parseListClaim(claims?.groups).filter((g): g is Role => (ROLES as readonly string[]).includes(g)),
  );
  const department =
    typeof claims?.department === 'string' && claims.department ? claims.department : undefined;
  const branch = typeof claims?.branch === 'string' && claims.branch ? claims.branch : undefined;
  return { sub, roles, ...(department ? { department } : {}), ...(branch ? { branch } : {}) };
};
