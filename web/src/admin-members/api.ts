/**
 * The members API as the officers' console uses it, typed from the OpenAPI document. The CSV
 * template comes through the same client (the token rides on the request) as a Blob.
 */
import { api, call } from '../app/api/client';
import type { paths } from '../app/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Body<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type MemberPage = Json<paths['/members']['get']['responses'][200]>;
export type Member = Json<paths['/members/{id}']['get']['responses'][200]>;
export type MemberHistory = Json<paths['/members/{id}/history']['get']['responses'][200]>;
export type HistoryItem = MemberHistory['items'][number];
export type MemberCare = Json<paths['/members/{id}/care']['get']['responses'][200]>;
export type Departments = Json<paths['/departments']['get']['responses'][200]>;
export type DepartmentMapping = Departments['items'][number];
export type UnknownDepartment = Departments['unknownDepartments'][number];
export type DepartmentBody = Body<paths['/departments/{code}']['put']['requestBody']>;
export type Enrolment = Body<NonNullable<paths['/members']['post']['requestBody']>>;
export type ImportChunk = Body<NonNullable<paths['/members/import']['post']['requestBody']>>;
export type ImportRow = ImportChunk['rows'][number];
export type ImportAnswer = Json<paths['/members/import']['post']['responses'][200]>;
export type ImportResult = ImportAnswer['results'][number];

/** A transfer HR announced ahead: the department, its branch and the effective date (or null). */
export type PendingTransfer = NonNullable<Member['pendingTransfer']>;

export const MEMBER_STATUSES = ['active', 'retired', 'left', 'transferred_out', 'expelled'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export interface MemberFilters {
  q?: string | undefined;
  status?: string | undefined;
  branch?: string | undefined;
  limit?: number;
  cursor?: string | undefined;
}

const compact = (q: MemberFilters) =>
  Object.fromEntries(
    Object.entries(q)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  ) as Record<string, string>;

export const listMembers = (filters: MemberFilters) =>
  call(api.GET('/members', { params: { query: compact(filters) } }));

export const getMember = (id: string) => call(api.GET('/members/{id}', { params: { path: { id } } }));

export const getHistory = (id: string) =>
  call(api.GET('/members/{id}/history', { params: { path: { id } } }));

export const getCare = (id: string, year?: number) =>
  call(
    api.GET('/members/{id}/care', {
      params: { path: { id }, query: year ? { year: String(year) } : {} },
    }),
  );

export const recordLeave = (id: string, reason: string) =>
  call(
    api.POST('/members/{id}/leave', {
      params: { path: { id } },
      body: reason.trim() ? { reason: reason.trim() } : {},
    }),
  );

export const enrol = (body: Enrolment) => call(api.POST('/members', { body }));

export const getDepartments = () => call(api.GET('/departments'));

export const mapDepartment = (code: string, body: DepartmentBody) =>
  call(api.PUT('/departments/{code}', { params: { path: { code } }, body }));

export const importChunk = (rows: ImportRow[]) => call(api.POST('/members/import', { body: { rows } }));

export const importTemplate = () =>
  call(api.GET('/members/import/template.csv', { parseAs: 'blob' })) as Promise<{ data: Blob }>;
