/**
 * The OpenAPI document, generated from the same zod schemas the handlers validate with, so the
 * document cannot drift from what the API accepts. Each API module registers its operations.
 * The document passes Redocly's recommended rules (`npm run lint:openapi`, in CI).
 */
import * as z from 'zod/mini';

export interface OperationDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /**
   * Unique, lowerCamelCase, verb then noun (`listMembers`, `getMember`, `submitProposal`,
   * `getCareLedgerCsv`): generated clients name their calls after it. Required, so that no route
   * joins the document without one.
   */
  operationId: string;
  summary: string;
  auth: boolean;
  request?: z.ZodMiniType;
  response?: z.ZodMiniType;
  /** A 200 that is not JSON (a CSV download): its media type, the body a string. */
  produces?: 'text/csv';
  responses?: Record<string, string>;
  parameters?: Array<{
    name: string;
    in: 'path' | 'query' | 'header';
    required?: boolean;
    description?: string;
  }>;
}

/** lowerCamelCase, a letter first: what every operationId must look like. */
export const OPERATION_ID = /^[a-z]+(?:[A-Z0-9][a-z0-9]*)*$/;

const schema = (s: z.ZodMiniType) => z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any' });

/** What the document says of the whole API, beside its operations. */
const ABOUT = {
  description:
    '工会 Gonghui: the trade union’s HTTP API. Every route but the health check, this document and the invitation routes takes a JWT (`Authorization: Bearer …`); roles come from its `groups` claim.',
  // The project is not published under an open licence (package.json: UNLICENSED).
  license: { name: 'Proprietary (UNLICENSED): the university trade union’s own software' },
};

/**
 * Relative to where the document is served: the API and /openapi.json share one origin, locally
 * (`npm start`, http://127.0.0.1:3000) and on AWS (the HTTP API's URL, or its custom domain).
 */
const SERVERS = [{ url: '/', description: 'The origin that serves this document' }];

/** Every route may be throttled by the HTTP API's stage (API_THROTTLE in infra/aws/gonghui-stack.ts). */
const THROTTLED = { description: 'Too many requests: the API’s rate limit; try again shortly' };

export const buildOpenApi = (operations: OperationDoc[], info: { title: string; version: string }) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    // An operation that creates answers 201 with the body (typed clients read it from there), not 200.
    const success = op.responses?.['201'] ? '201' : '200';
    const responses: Record<string, unknown> = {};
    for (const [code, description] of Object.entries(op.responses ?? {})) responses[code] = { description };
    responses[success] = {
      description: op.responses?.[success] ?? 'OK',
      ...(op.produces
        ? { content: { [op.produces]: { schema: { type: 'string' } } } }
        : op.response
          ? { content: { 'application/json': { schema: schema(op.response) } } }
          : {}),
    };
    if (op.auth) {
      responses['401'] ??= { description: 'Missing or invalid token' };
      responses['403'] ??= { description: 'The token does not allow this' };
    }
    responses['429'] ??= THROTTLED;
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.auth ? { security: [{ bearerAuth: [] }] } : { security: [] }),
      ...(op.parameters
        ? { parameters: op.parameters.map((p) => ({ ...p, schema: { type: 'string' } })) }
        : {}),
      ...(op.request
        ? { requestBody: { required: true, content: { 'application/json': { schema: schema(op.request) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { ...info, ...ABOUT },
    servers: SERVERS,
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
};
