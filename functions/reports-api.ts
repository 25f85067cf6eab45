/** reports-api: the chair's dashboard, read-only (its role may only Query the table). */

import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoDashboardReader } from '../shared/adapters/dashboard-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { type DashboardDeps, dashboard } from '../shared/domain/reports/dashboard.ts';
import { httpApi } from '../shared/http/api.ts';
import { principalOf } from '../shared/http/principal.ts';
import { dashboardQuery } from '../shared/http/reports-schemas.ts';
import { json } from '../shared/http/responses.ts';

const db = dynamoDocumentClient();
const deps: DashboardDeps = {
  reader: dynamoDashboardReader(db, readEnv(ENV.tableName)),
  // The calendar carries the lunar library: loaded on the first dashboard, not at cold start.
  calendar: async (year, settings) =>
    (await import('../shared/domain/care/planner.ts')).calendarOf(year, settings),
  currentSession: readEnv(ENV.congressSession),
  now: () => new Date(),
};

export const handler = httpApi({
  'GET /reports/dashboard': async (req) =>
    json(200, await dashboard(principalOf(req.event), () => dashboardQuery.parse(req.query), deps)),
});
