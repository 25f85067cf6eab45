/** The chair's dashboard from the API (GET /reports/dashboard), typed from the OpenAPI document. */
import { api, call } from '../app/api/client';
import type { paths } from '../app/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Dashboard = Json<paths['/reports/dashboard']['get']['responses'][200]>;

export interface DashboardQuery {
  year?: string | undefined;
  branch?: string | undefined;
}

export const getDashboard = (q: DashboardQuery) =>
  call(
    api.GET('/reports/dashboard', {
      params: { query: { ...(q.year ? { year: q.year } : {}), ...(q.branch ? { branch: q.branch } : {}) } },
    }),
  );
