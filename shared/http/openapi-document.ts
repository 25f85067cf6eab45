/** The API's OpenAPI document, as `GET /openapi.json` serves it and the web app's types are made from. */
import { apiOperations } from './api-operations.ts';
import { buildOpenApi } from './openapi.ts';

export const openApiDocument = () => buildOpenApi(apiOperations, { title: 'Gonghui 工会 API', version: '1' });
