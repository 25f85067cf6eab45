/**
 * The reports (proposals per session, letters per year) and their CSV files, through the one API
 * client: a CSV route needs the access token, which a plain link would not carry.
 */
import { api, call } from '../app/api/client';
import type { paths } from '../app/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type ProposalReport = Json<paths['/reports/proposals']['get']['responses'][200]>;
export type LetterReport = Json<paths['/reports/letters']['get']['responses'][200]>;

export const getProposalReport = (session: string) =>
  call(api.GET('/reports/proposals', { params: { query: { session } } }));

export const getLetterReport = (year: string) =>
  call(api.GET('/reports/letters', { params: { query: { year } } }));

export const proposalReportCsv = (session: string) =>
  call(api.GET('/reports/proposals.csv', { params: { query: { session } }, parseAs: 'blob' }));

export const letterReportCsv = (year: string) =>
  call(api.GET('/reports/letters.csv', { params: { query: { year } }, parseAs: 'blob' }));
