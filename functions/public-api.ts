/** public-api: the two routes without authentication, the health check and the OpenAPI document. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { openApiDocument } from '../shared/http/openapi-document.ts';
import { json } from '../shared/http/responses.ts';

let openApi: unknown;

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  switch (event.routeKey) {
    case 'GET /health':
      return json(200, { status: 'ok', service: 'gonghui', time: new Date().toISOString() });
    case 'GET /openapi.json':
      // Built on first use, not at cold start: the health check should not pay for it.
      openApi ??= openApiDocument();
      return json(200, openApi, { 'cache-control': 'public, max-age=300' });
    default:
      return json(404, { message: 'Not Found' });
  }
};
