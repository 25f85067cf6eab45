/** Every operation of the HTTP API, for the OpenAPI document. API modules add theirs here. */
import * as z from 'zod/mini';
import type { OperationDoc } from './openapi.ts';

export const healthResponse = z.object({ status: z.literal('ok'), service: z.literal('gonghui'), time: z.string() });

export const apiOperations: OperationDoc[] = [
  { method: 'get', path: '/health', summary: 'Liveness check', auth: false, response: healthResponse },
  { method: 'get', path: '/openapi.json', summary: 'This document', auth: false },
];
