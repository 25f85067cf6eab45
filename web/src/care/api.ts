/**
 * The care API (慰问), typed from the OpenAPI document: life-event requests, the ledger and its
 * CSV, and the settings (policy versions, the union's own occasions, the working-day
 * arrangement). Amounts travel in fen (分); the pages show yuan (format.ts).
 */
import { api, call } from '../app/api/client';
import type { paths } from '../app/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Body<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type CareRequest = Json<paths['/care/requests']['get']['responses'][200]>['items'][number];
export type RequestStatus = CareRequest['status'];
export type LifeEventKind = CareRequest['kind'];
export type NewCareRequest = Body<NonNullable<paths['/care/requests']['post']['requestBody']>>;
export type Ledger = Json<paths['/care/ledger']['get']['responses'][200]>;
export type LedgerEntry = Ledger['entries'][number];
export type PolicyAnswer = Json<paths['/care/policy']['get']['responses'][200]>;
export type PolicyVersion = PolicyAnswer['versions'][number];
export type CarePolicy = PolicyAnswer['inForce'];
export type OccasionRule = CarePolicy['occasions'][string];
export type PolicyChange = Body<NonNullable<paths['/care/policy']['put']['requestBody']>>;
export type Occasion = Json<paths['/care/occasions']['get']['responses'][200]>['items'][number];
export type NewOccasion = Body<NonNullable<paths['/care/occasions']['post']['requestBody']>>;
export type Workdays = Json<paths['/care/workdays/{year}']['get']['responses'][200]>;
export type WorkdayOverride = Workdays['days'][number];
export type Member = Json<paths['/members']['get']['responses'][200]>['items'][number];

export const LIFE_EVENT_KINDS: readonly LifeEventKind[] = [
  'wedding',
  'birth',
  'hospital',
  'bereavement',
  'bereavement_relative',
  'retirement',
];
export const REQUEST_STATUSES: readonly RequestStatus[] = ['pending', 'approved', 'rejected'];

// ---- life-event requests ----

export const listRequests = (status: RequestStatus | undefined) =>
  call(api.GET('/care/requests', { params: { query: status ? { status } : {} } }));

export const fileRequest = (body: NewCareRequest) => call(api.POST('/care/requests', { body }));

export const decideRequest = (id: string, decision: 'approve' | 'reject', reason?: string) =>
  call(
    api.POST(decision === 'approve' ? '/care/requests/{id}/approve' : '/care/requests/{id}/reject', {
      params: { path: { id } },
      body: reason ? { reason } : {},
    }),
  );

/** Members by name, the start of the 工号 or part of the membership number (officers: their branch). */
export const searchMembers = (q: string) =>
  call(api.GET('/members', { params: { query: { q, limit: '20' } } }));

// ---- the ledger ----

export interface LedgerFilters {
  year: string;
  branch?: string | undefined;
  occasion?: string | undefined;
}

const ledgerQuery = (f: LedgerFilters) => ({
  year: f.year,
  ...(f.branch ? { branch: f.branch } : {}),
  ...(f.occasion ? { occasion: f.occasion } : {}),
});

export const getLedger = (f: LedgerFilters) =>
  call(api.GET('/care/ledger', { params: { query: ledgerQuery(f) } }));

/** The CSV with the same filters, fetched with the token (a bare link would carry none). */
export const getLedgerCsv = async (f: LedgerFilters): Promise<Blob> =>
  (
    await call(
      api.GET('/care/ledger.csv', { params: { query: ledgerQuery(f) }, parseAs: 'blob' }) as Promise<{
        data?: Blob;
        error?: unknown;
        response: Response;
      }>,
    )
  ).data;

// ---- settings ----

export const getPolicy = () => call(api.GET('/care/policy'));

export const putPolicy = (body: PolicyChange) => call(api.PUT('/care/policy', { body }));

export const listOccasions = () => call(api.GET('/care/occasions'));

export const addOccasion = (body: NewOccasion) => call(api.POST('/care/occasions', { body }));

export const removeOccasion = (occasion: string) =>
  call(api.DELETE('/care/occasions/{occasion}', { params: { path: { occasion } } }));

export const getWorkdays = (year: number) =>
  call(api.GET('/care/workdays/{year}', { params: { path: { year: String(year) } } }));

export const putWorkdays = (year: number, days: WorkdayOverride[]) =>
  call(api.PUT('/care/workdays/{year}', { params: { path: { year: String(year) } }, body: { days } }));
