/** Every operation of the HTTP API, for the OpenAPI document. API modules add theirs here. */
import * as z from 'zod/mini';
import { activityOperations, awardOperations, mutualAidOperations } from './activities-operations.ts';
import { careRequestBody, decisionBody, occasionBody, policyBody, workdaysBody } from './care-schemas.ts';
import {
  acceptInvitationBody,
  departmentBody,
  leaveBody,
  manualEnrolmentBody,
  memberListResponse,
  memberResponse,
} from './members-schemas.ts';
import type { OperationDoc } from './openapi.ts';
import {
  actionBodies,
  createProposalBody,
  editProposalBody,
  proposalHistoryResponse,
  proposalListResponse,
  proposalResponse,
} from './proposals-schemas.ts';
import { voiceOperations } from './voice-operations.ts';

export const healthResponse = z.object({
  status: z.literal('ok'),
  service: z.literal('gonghui'),
  time: z.string(),
});

const id = { name: 'id', in: 'path' as const, required: true, description: 'memberId' };
const proposalId = { name: 'id', in: 'path' as const, required: true, description: 'proposal id' };
const ifMatch = {
  name: 'If-Match',
  in: 'header' as const,
  description: 'The ETag from GET; a stale one gets 412',
};

const proposalActions = (Object.keys(actionBodies) as Array<keyof typeof actionBodies>).map(
  (action): OperationDoc => ({
    method: 'post',
    path: `/proposals/{id}/${action}`,
    summary: `Proposal action: ${action}`,
    auth: true,
    request: actionBodies[action],
    response: proposalResponse,
    parameters: [proposalId, ifMatch],
    responses: {
      '400': 'Invalid body',
      '404': 'No such proposal (or a draft of someone else)',
      '409': 'Not allowed in the current state (the body names it)',
      '412': 'Stale If-Match',
    },
  }),
);

export const apiOperations: OperationDoc[] = [
  { method: 'get', path: '/health', summary: 'Liveness check', auth: false, response: healthResponse },
  { method: 'get', path: '/openapi.json', summary: 'This document', auth: false },
  {
    method: 'get',
    path: '/members/me',
    summary: "The caller's own membership (the token's subject is the 工号)",
    auth: true,
    response: memberResponse,
    responses: { '404': 'Not a member' },
  },
  {
    method: 'get',
    path: '/members',
    summary: 'Members, by membership number: officers see their branch, the chair and admins everyone',
    auth: true,
    response: memberListResponse,
    parameters: [
      { name: 'branch', in: 'query' },
      { name: 'status', in: 'query', description: 'active | retired | left | transferred_out | expelled' },
      { name: 'q', in: 'query', description: 'Text in the name' },
      { name: 'limit', in: 'query', description: '1–200, default 50' },
      { name: 'cursor', in: 'query', description: 'From the previous page' },
    ],
    responses: { '400': 'Invalid filter or cursor' },
  },
  {
    method: 'post',
    path: '/members',
    summary: 'Enrol someone HR did not send (officers into their branch; chair, admin)',
    auth: true,
    request: manualEnrolmentBody,
    response: memberResponse,
    responses: {
      '201': 'Enrolled',
      '400': 'Invalid body',
      '409': 'Already a member',
      '413': 'Body too large',
    },
  },
  {
    method: 'get',
    path: '/members/{id}',
    summary: 'One member (themself, their officer, the chair, admins)',
    auth: true,
    response: memberResponse,
    parameters: [id],
    responses: { '404': 'No such member' },
  },
  {
    method: 'post',
    path: '/members/{id}/leave',
    summary: 'End a membership (退会): the member, their officer, the chair, admins',
    auth: true,
    request: leaveBody,
    response: memberResponse,
    parameters: [id],
    responses: { '404': 'No such member', '409': 'Already left' },
  },
  {
    method: 'get',
    path: '/invitations',
    summary:
      'The page an invitation links to (confirm mode): asks the invited person to confirm; query member and token',
    auth: false,
    responses: { '200': 'An HTML page; opening it changes nothing' },
  },
  {
    method: 'post',
    path: '/invitations/{id}/accept',
    summary:
      'Confirm an invitation (confirm mode): the invited person becomes a member; no JWT, the token is the proof',
    auth: false,
    request: acceptInvitationBody,
    response: memberResponse,
    parameters: [id],
    responses: {
      '403': 'The token does not match',
      '404': 'No such invitation',
      '409': 'Expired, or HR says the person is no longer active',
    },
  },
  { method: 'get', path: '/departments', summary: 'Department → branch union mapping', auth: true },
  {
    method: 'put',
    path: '/departments/{code}',
    summary: 'Map a department to a branch union (chair, admin)',
    auth: true,
    request: departmentBody,
    parameters: [{ name: 'code', in: 'path', required: true }],
    responses: { '400': 'Invalid body' },
  },
  {
    method: 'post',
    path: '/proposals',
    summary: 'File a proposal (a draft; delegates)',
    auth: true,
    request: createProposalBody,
    response: proposalResponse,
    responses: { '201': 'Created, with its ETag', '400': 'Invalid body', '413': 'Body too large' },
  },
  {
    method: 'get',
    path: '/proposals',
    summary: 'Proposals in filing order, paged with a cursor (drafts only to their author)',
    auth: true,
    response: proposalListResponse,
    parameters: ['state', 'session', 'department', 'author', 'limit', 'cursor'].map((name) => ({
      name,
      in: 'query' as const,
    })),
  },
  {
    method: 'get',
    path: '/proposals/export.csv',
    summary: 'A session as CSV (committee, chair, admins)',
    auth: true,
    parameters: [{ name: 'session', in: 'query' }],
  },
  {
    method: 'get',
    path: '/proposals/{id}',
    summary: 'One proposal, with an ETag',
    auth: true,
    response: proposalResponse,
    parameters: [proposalId],
  },
  {
    method: 'patch',
    path: '/proposals/{id}',
    summary: 'Edit a draft (its author): the fields sent change, the rest stays',
    auth: true,
    request: editProposalBody,
    response: proposalResponse,
    parameters: [proposalId, ifMatch],
    responses: {
      '400': 'Invalid body',
      '404': 'No such proposal (or a draft of someone else)',
      '409': 'No longer a draft (the body names its state)',
      '412': 'Stale If-Match',
    },
  },
  {
    method: 'get',
    path: '/proposals/{id}/history',
    summary: 'Every change of a proposal',
    auth: true,
    response: proposalHistoryResponse,
    parameters: [proposalId],
  },
  ...proposalActions,
  {
    method: 'get',
    path: '/care/policy',
    summary:
      'The care policy in force on a date (default today, Shanghai), every stored version, and the shipped default (chair, admin)',
    auth: true,
    parameters: [{ name: 'date', in: 'query', description: 'YYYY-MM-DD' }],
  },
  {
    method: 'put',
    path: '/care/policy',
    summary:
      'A policy version from effectiveFrom on; what the body leaves out is carried over from the version before (chair, admin)',
    auth: true,
    request: policyBody,
    responses: {
      '400': 'Invalid body (the failing fields)',
      '409': 'effectiveFrom before today: a version in force is never changed, add a later one',
    },
  },
  {
    method: 'get',
    path: '/care/occasions',
    summary: 'Every occasion: built in and the union’s own, with the rule in force today (chair, admin)',
    auth: true,
  },
  {
    method: 'post',
    path: '/care/occasions',
    summary: 'Add an occasion of the union’s own, solar or lunar (e.g. 三月三, lunar 3/3) (chair, admin)',
    auth: true,
    request: occasionBody,
    responses: {
      '201': 'Added',
      '400': 'Invalid body (the failing fields)',
      '409': 'The key exists already or is built in',
    },
  },
  {
    method: 'delete',
    path: '/care/occasions/{occasion}',
    summary: 'Remove an occasion of the union’s own; its grants stay in the ledger (chair, admin)',
    auth: true,
    parameters: [{ name: 'occasion', in: 'path', required: true }],
    responses: { '404': 'No such occasion', '409': 'A built-in occasion (disable it in a policy version)' },
  },
  {
    method: 'get',
    path: '/care/workdays/{year}',
    summary:
      'A year’s working-day overrides (调休) and whether the lunar library knows the year (chair, admin)',
    auth: true,
    parameters: [{ name: 'year', in: 'path', required: true }],
  },
  {
    method: 'put',
    path: '/care/workdays/{year}',
    summary:
      'Replace a year’s working-day overrides: the days the State Council’s arrangement makes rest or working days (chair, admin)',
    auth: true,
    request: workdaysBody,
    parameters: [{ name: 'year', in: 'path', required: true }],
    responses: {
      '400': 'Invalid body (the failing fields)',
      '409': 'The change would alter a day before today',
    },
  },
  {
    method: 'get',
    path: '/care/ledger',
    summary:
      'The care ledger of a year with totals per branch and occasion (officers: their branch; chair, admin, auditor)',
    auth: true,
    parameters: [
      { name: 'year', in: 'query', required: true },
      { name: 'branch', in: 'query' },
      { name: 'occasion', in: 'query' },
    ],
  },
  {
    method: 'get',
    path: '/care/ledger.csv',
    summary: 'The same as CSV, with subtotals and a total',
    auth: true,
    parameters: [
      { name: 'year', in: 'query', required: true },
      { name: 'branch', in: 'query' },
      { name: 'occasion', in: 'query' },
    ],
  },
  {
    method: 'post',
    path: '/care/requests',
    summary: 'Report a life event (officers for their branch; chair, admin)',
    auth: true,
    request: careRequestBody,
    responses: { '201': 'Reported, pending the chair', '400': 'Invalid body' },
  },
  {
    method: 'get',
    path: '/care/requests',
    summary: 'Life-event requests (officers: their branch)',
    auth: true,
    parameters: [{ name: 'status', in: 'query' }],
  },
  ...(['approve', 'reject'] as const).map(
    (d): OperationDoc => ({
      method: 'post',
      path: `/care/requests/{id}/${d}`,
      summary: `${d === 'approve' ? 'Approve (and grant)' : 'Reject, with a reason'}: the chair`,
      auth: true,
      request: decisionBody,
      parameters: [{ name: 'id', in: 'path', required: true }],
      responses: { '404': 'No such request', '409': 'Already decided' },
    }),
  ),
  {
    method: 'get',
    path: '/reports/proposals',
    summary: 'Counts per state, answered on time, satisfaction (committee, chair, admins)',
    auth: true,
    parameters: [{ name: 'session', in: 'query', required: true }],
  },
  ...voiceOperations,
  ...activityOperations,
  ...mutualAidOperations,
  ...awardOperations,
];
