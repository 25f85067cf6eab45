/** The union-life operations (activities, mutual aid, awards) for the OpenAPI document. */

import {
  activityResponse,
  cancelBody,
  createActivityBody,
  registerBody,
  registrationResponse,
} from './activities-schemas.ts';
import { awardResponse, createAwardBody, nominationBody, shortlistBody, voteBody } from './awards-schemas.ts';
import { choiceBody, windowBody, windowListResponse, windowResponse } from './mutual-aid-schemas.ts';
import type { OperationDoc } from './openapi.ts';

const activityId = { name: 'id', in: 'path' as const, required: true, description: 'activity id' };

export const activityOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/activities',
    operationId: 'createActivity',
    summary:
      'Create an activity with capacity, registration window and eligibility (officers for their branch; chair, admin)',
    auth: true,
    request: createActivityBody,
    response: activityResponse,
    responses: { '201': 'Created', '400': 'Invalid body (the failing fields)' },
  },
  {
    method: 'get',
    path: '/activities',
    operationId: 'listActivities',
    summary: 'Activities from today on, by date, with places taken, free and waiting',
    auth: true,
  },
  {
    method: 'get',
    path: '/activities/{id}',
    operationId: 'getActivity',
    summary: "One activity, with the caller's registration (and waiting-list position)",
    auth: true,
    response: activityResponse,
    parameters: [activityId],
    responses: { '404': 'No such activity' },
  },
  {
    method: 'post',
    path: '/activities/{id}/register',
    operationId: 'registerForActivity',
    summary:
      'Register (members, once, inside the window): confirmed if the places fit, else on the waiting list',
    auth: true,
    request: registerBody,
    response: registrationResponse,
    parameters: [activityId],
    responses: {
      '400': 'Invalid body (family on a members-only activity)',
      '403': 'Not a member, or not of the activity’s branch',
      '404': 'No such activity',
      '409': 'Outside the registration window, or registered already',
    },
  },
  {
    method: 'post',
    path: '/activities/{id}/cancel',
    operationId: 'cancelActivityRegistration',
    summary:
      'Cancel one’s registration (until the day before); freed places go to the waiting list in order, in the same transaction',
    auth: true,
    request: cancelBody,
    parameters: [activityId],
    responses: { '404': 'No such activity', '409': 'Not registered, or the activity is today or over' },
  },
  {
    method: 'get',
    path: '/activities/{id}/participants',
    operationId: 'listActivityParticipants',
    summary:
      'Participants and the waiting list for the organisers (chair, admin, the branch’s officer, the creator); format=csv for CSV',
    auth: true,
    parameters: [activityId, { name: 'format', in: 'query', description: 'json (default) | csv' }],
    responses: { '404': 'No such activity' },
  },
];

const year = { name: 'year', in: 'path' as const, required: true, description: 'YYYY' };

export const mutualAidOperations: OperationDoc[] = [
  {
    method: 'get',
    path: '/mutual-aid',
    operationId: 'listMutualAidWindows',
    summary: "Every year's mutual-aid window, the latest first, with its state today (everyone)",
    auth: true,
    response: windowListResponse,
  },
  {
    method: 'put',
    path: '/mutual-aid/{year}',
    operationId: 'openMutualAidWindow',
    summary:
      "Open (or, until it closes, change) a year's mutual-aid opt-in window with the fee per person in yuan (chair, admin)",
    auth: true,
    request: windowBody,
    response: windowResponse,
    parameters: [year],
    responses: { '400': 'Invalid body or year', '409': 'The window has closed' },
  },
  {
    method: 'get',
    path: '/mutual-aid/{year}',
    operationId: 'getMutualAidWindow',
    summary: "A year's window and the caller's choice",
    auth: true,
    response: windowResponse,
    parameters: [year],
    responses: { '400': 'Not a year', '404': 'No window for the year' },
  },
  {
    method: 'post',
    path: '/mutual-aid/{year}/choice',
    operationId: 'chooseMutualAid',
    summary: 'Opt in or out (members, inside the window; a later choice replaces the earlier)',
    auth: true,
    request: choiceBody,
    parameters: [year],
    responses: { '404': 'No window for the year', '409': 'Outside the window' },
  },
  {
    method: 'get',
    path: '/mutual-aid/{year}/enrolled.csv',
    operationId: 'getMutualAidEnrolledCsv',
    summary: 'The enrolled members for the insurer as CSV: name, 工号, branch, fee in yuan (chair, admin)',
    auth: true,
    parameters: [year],
    responses: { '404': 'No window for the year' },
  },
];

const awardId = { name: 'id', in: 'path' as const, required: true, description: 'award id' };

export const awardOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/awards',
    operationId: 'createAward',
    summary:
      'Create an award (最美家庭, 评先推优) with a nomination window, a voting window after it and the number of places (chair, admin)',
    auth: true,
    request: createAwardBody,
    response: awardResponse,
    responses: { '201': 'Created', '400': 'Invalid body (the failing fields)' },
  },
  {
    method: 'get',
    path: '/awards',
    operationId: 'listAwards',
    summary: 'Every award with its phase',
    auth: true,
  },
  {
    method: 'get',
    path: '/awards/{id}',
    operationId: 'getAward',
    summary: 'One award, its shortlist once there is one, and whether the caller voted',
    auth: true,
    response: awardResponse,
    parameters: [awardId],
    responses: { '404': 'No such award' },
  },
  {
    method: 'post',
    path: '/awards/{id}/nominations',
    operationId: 'nominateForAward',
    summary:
      'Nominate a member inside the nomination window (officers: members of their branch; chair, admin: anyone)',
    auth: true,
    request: nominationBody,
    parameters: [awardId],
    responses: {
      '201': 'Nominated',
      '400': 'Invalid body, or the nominee is not an active member',
      '403': 'A member of another branch',
      '404': 'No such award',
      '409': 'Outside the nomination window, or nominated already',
    },
  },
  {
    method: 'get',
    path: '/awards/{id}/nominations',
    operationId: 'listAwardNominations',
    summary: 'The nominations (committee, chair, admin: all; officers: their branch’s)',
    auth: true,
    parameters: [awardId],
    responses: { '404': 'No such award' },
  },
  {
    method: 'post',
    path: '/awards/{id}/shortlist',
    operationId: 'shortlistAward',
    summary:
      'The shortlist, between the nomination and the voting windows; again until voting opens (committee, chair)',
    auth: true,
    request: shortlistBody,
    parameters: [awardId],
    responses: {
      '400': 'Invalid body, or an id that is not a nomination',
      '404': 'No such award',
      '409': 'Not between the windows',
    },
  },
  {
    method: 'post',
    path: '/awards/{id}/vote',
    operationId: 'voteInAward',
    summary: 'Vote for a shortlisted nomination (members, once per award, inside the voting window)',
    auth: true,
    request: voteBody,
    parameters: [awardId],
    responses: {
      '400': 'Invalid body, or not on the shortlist',
      '404': 'No such award',
      '409': 'Outside the voting window, or voted already',
    },
  },
  {
    method: 'get',
    path: '/awards/{id}/results',
    operationId: 'getAwardResults',
    summary: 'After the voting window: the shortlisted with their vote counts, ranked, and who is awarded',
    auth: true,
    parameters: [awardId],
    responses: { '404': 'No such award', '409': 'Voting has not closed' },
  },
];
