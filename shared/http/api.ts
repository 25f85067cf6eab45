/**
 * The HTTP edge shared by every API function (middy): body limit (413), JSON bodies with the
 * right content type (415), validation failures with the failing fields (400), typed domain
 * errors mapped to their status once, and a 500 that says nothing about internals.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { http as httpLimits } from '../config/http-limits.ts';
import {
  Conflict,
  DomainError,
  Forbidden,
  InvalidInput,
  NotFound,
  PreconditionFailed,
  RetryLater,
  Unauthorized,
} from '../domain/errors.ts';
import { failingFields, isValidationError } from '../domain/malformed.ts';
import { logger } from '../observability/logger.ts';
import { json } from './responses.ts';

export class HttpError extends DomainError {
  constructor(
    readonly statusCode: number,
    message: string,
    details?: unknown,
  ) {
    super(message, details);
  }
}

const STATUS: Array<[new (...args: never[]) => DomainError, number]> = [
  [InvalidInput, 400],
  [Unauthorized, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [PreconditionFailed, 412],
  [RetryLater, 503],
];

export const errorResponse = (error: unknown): APIGatewayProxyStructuredResultV2 => {
  if (error instanceof HttpError)
    return json(error.statusCode, { message: error.message, ...detailsOf(error) });
  if (isValidationError(error)) {
    return json(400, {
      message: '请求内容有误 / The request is invalid',
      // An unknown field is named itself, not the object around it (seen: `?bogus=1` was "(body)").
      errors: failingFields(error).map((f) => ({ ...f, field: f.field || '(body)' })),
    });
  }
  for (const [kind, status] of STATUS) {
    if (error instanceof kind) return json(status, { message: error.message, ...detailsOf(error) });
  }
  logger.error('Unhandled error', { error: (error as Error)?.name, reason: (error as Error)?.message });
  return json(500, { message: '服务器内部错误 / Internal error' });
};

const detailsOf = (error: DomainError) =>
  error.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {};

/** The request as routes see it: path, query, headers, and the JSON body parsed on demand. */
export interface ApiRequest {
  event: APIGatewayProxyEventV2;
  /**
   * The parsed JSON body; `absent` (default undefined) when there is none. Parsed when asked, so
   * that a caller without the right role gets 403 before anyone looks at what they sent. A body
   * of `null` is not an absent body: it is validated as sent (and refused where an object is due).
   */
  json(absent?: unknown): unknown;
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
}

export type RouteHandler = (req: ApiRequest) => Promise<APIGatewayProxyStructuredResultV2>;

const decodeBody = (event: APIGatewayProxyEventV2): string | undefined => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
};

export const toRequest = (event: APIGatewayProxyEventV2): ApiRequest => {
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']),
  );
  const raw = decodeBody(event);
  if (raw !== undefined && Buffer.byteLength(raw, 'utf8') > httpLimits.maxBodyBytes) {
    throw new HttpError(413, `请求体过大 / The body exceeds ${httpLimits.maxBodyBytes} bytes`);
  }
  const json = (absent?: unknown) => {
    if (raw === undefined) return absent;
    const type = headers['content-type'] ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
      throw new HttpError(415, '请使用 JSON / Send the body as application/json');
    }
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new HttpError(400, '请求体不是合法的 JSON / The body is not valid JSON');
    }
  };
  return {
    event,
    json,
    path: Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([k, v]) => [k, v ?? ''])),
    query: Object.fromEntries(
      Object.entries(event.queryStringParameters ?? {}).map(([k, v]) => [k, v ?? '']),
    ),
    headers,
  };
};

/** An API function: routes by API Gateway's routeKey ("POST /proposals/{id}/{action}"). */
export const httpApi = (routes: Record<string, RouteHandler>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>().handler(
    async (event) => {
      try {
        const route = routes[event.routeKey];
        if (!route) return json(404, { message: 'Not Found' });
        return await route(toRequest(event));
      } catch (error) {
        return errorResponse(error);
      }
    },
  );
