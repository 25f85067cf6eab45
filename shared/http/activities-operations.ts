/** The union-life operations (activities, mutual aid, awards) for the OpenAPI document. */

import {
  activityResponse,
  cancelBody,
  createActivityBody,
  registerBody,
  registrationResponse,
} from './activities-schemas.ts';
import type { OperationDoc } from './openapi.ts';

const activityId = { name: 'id', in: 'path' as const, required: true, description: 'activity id' };

export const activityOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/activities',
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
    summary: 'Activities from today on, by date, with places taken, free and waiting',
    auth: true,
  },
  {
    method: 'get',
    path: '/activities/{id}',
    summary: "One activity, with the caller's registration (and waiting-list position)",
    auth: true,
    response: activityResponse,
    parameters: [activityId],
    responses: { '404': 'No such activity' },
  },
  {
    method: 'post',
    path: '/activities/{id}/register',
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
    summary:
      'Participants and the waiting list for the organisers (chair, admin, the branch’s officer, the creator); format=csv for CSV',
    auth: true,
    parameters: [activityId, { name: 'format', in: 'query', description: 'json (default) | csv' }],
    responses: { '404': 'No such activity' },
  },
];
