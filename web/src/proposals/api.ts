/**
 * The proposals API, typed from the OpenAPI document. Changes send the ETag they were shown as
 * If-Match: a proposal someone else changed meanwhile answers 412, never a silent overwrite.
 */
import { api, call } from '../app/api/client';
import type { paths } from '../app/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Proposal = Json<paths['/proposals/{id}']['get']['responses'][200]>;
export type ProposalState = Proposal['state'];
export type HistoryEntry = Json<paths['/proposals/{id}/history']['get']['responses'][200]>['items'][number];
export type NewProposal = NonNullable<
  paths['/proposals']['post']['requestBody']
>['content']['application/json'];
export type ProposalEdit = NonNullable<
  paths['/proposals/{id}']['patch']['requestBody']
>['content']['application/json'];
type ActionPath =
  | '/proposals/{id}/submit'
  | '/proposals/{id}/second'
  | '/proposals/{id}/withdraw'
  | '/proposals/{id}/review'
  | '/proposals/{id}/assign'
  | '/proposals/{id}/answer'
  | '/proposals/{id}/feedback';
export type ActionBody<P extends ActionPath> = NonNullable<
  paths[P]['post']['requestBody']
>['content']['application/json'];

export const PROPOSAL_STATES: readonly ProposalState[] = [
  'draft',
  'submitted',
  'under_review',
  'registered',
  'merged',
  'converted',
  'not_registered',
  'assigned',
  'answered',
  'closed',
  'withdrawn',
];

export interface ListFilters {
  state?: ProposalState | undefined;
  session?: string | undefined;
  author?: string | undefined;
  department?: string | undefined;
  cursor?: string | undefined;
  limit?: string | undefined;
}

const compact = (q: ListFilters) =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;

export const listProposals = (filters: ListFilters) =>
  call(api.GET('/proposals', { params: { query: compact(filters) } }));

export const getProposal = (id: string) => call(api.GET('/proposals/{id}', { params: { path: { id } } }));

export const proposalHistory = (id: string) =>
  call(api.GET('/proposals/{id}/history', { params: { path: { id } } }));

export const createProposal = (body: NewProposal) => call(api.POST('/proposals', { body }));

export const editProposal = (id: string, etag: string, body: ProposalEdit) =>
  call(api.PATCH('/proposals/{id}', { params: { path: { id }, header: { 'If-Match': etag } }, body }));

/** One action on a proposal, with the If-Match of the version the user saw. */
export const act = <P extends ActionPath>(path: P, id: string, etag: string, body: ActionBody<P>) =>
  call(
    // openapi-fetch keys by path; each action path has the same parameters and its own body.
    api.POST(path as '/proposals/{id}/submit', {
      params: { path: { id }, header: { 'If-Match': etag } },
      body: body as ActionBody<'/proposals/{id}/submit'>,
    }),
  ) as Promise<{ data: Proposal; etag: string | null }>;

/** Today in Shanghai, YYYY-MM-DD: due dates are Shanghai days. */
export const todayInShanghai = (now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);

export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
