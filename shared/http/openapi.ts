/**
 * The OpenAPI document, generated from the same zod schemas the handlers validate with, so the
 * document cannot drift from what the API accepts. Each API module registers its operations.
 */
import * as z from 'zod/mini';

export interface OperationDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  auth: boolean;
  request?: z.ZodMiniType;
  response?: z.ZodMiniType;
  responses?: Record<string, string>;
  parameters?: Array<{
    name: string;
    in: 'path' | 'query' | 'header';
    required?: boolean;
    description?: string;
  }>;
}

const schema = (s: z.ZodMiniType) => z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any' });

export const buildOpenApi = (operations: OperationDoc[], info: { title: string; version: string }) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    // An operation that creates answers 201 with the body (typed clients read it from there), not 200.
    const success = op.responses?.['201'] ? '201' : '200';
    const responses: Record<string, unknown> = {};
    for (const [code, description] of Object.entries(op.responses ?? {})) responses[code] = { description };
    responses[success] = {
      description: op.responses?.[success] ?? 'OK',
      ...(op.response ? { content: { 'application/json': { schema: schema(op.response) } } } : {}),
    };
    if (op.auth) {
      responses['401'] ??= { description: 'Missing or invalid token' };
      responses['403'] ??= { description: 'The token does not allow this' };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
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
    info,
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
};
