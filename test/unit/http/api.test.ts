/** The HTTP edge: what a route sees of a body, and how failures become statuses. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { errorResponse, toRequest } from '../../../shared/http/api.ts';

const event = (body?: string, contentType = 'application/json'): APIGatewayProxyEventV2 =>
  ({
    routeKey: 'POST /x',
    rawPath: '/x',
    headers: { 'content-type': contentType },
    isBase64Encoded: false,
    ...(body !== undefined ? { body } : {}),
  }) as unknown as APIGatewayProxyEventV2;

const schema = z.strictObject({ reason: z.optional(z.string()) });
const statusOf = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (error) {
    return errorResponse(error).statusCode;
  }
};

describe('request bodies', () => {
  it('an absent body takes the default; a JSON null is validated as sent', () => {
    expect(toRequest(event()).json({})).toEqual({});
    expect(statusOf(() => schema.parse(toRequest(event()).json({})))).toBe(200);
    // Seen: `req.json() ?? {}` turned "null" into {}, and a leave with body null went through.
    expect(toRequest(event('null')).json({})).toBeNull();
    expect(statusOf(() => schema.parse(toRequest(event('null')).json({})))).toBe(400);
  });

  it('refuses text that is not JSON with 400 and another content type with 415', () => {
    expect(statusOf(() => toRequest(event('{nope')).json({}))).toBe(400);
    expect(statusOf(() => toRequest(event('{}', 'text/plain')).json({}))).toBe(415);
  });
});

describe('validation failures', () => {
  it('name an unknown field itself, not the object around it', () => {
    const query = z.strictObject({ limit: z.optional(z.string()), nested: z.optional(z.strictObject({})) });
    const res = errorResponse(
      query.safeParse({ limit: 1, bogus: 'x', other: 'y', nested: { deep: 1 } }).error,
    );
    expect(res.statusCode).toBe(400);
    expect(
      JSON.parse(res.body as string)
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['bogus', 'limit', 'nested.deep', 'other']);
  });
});
