/** The members' voice API's operations for /openapi.json: the chair's mailbox (主席信箱). */
import type { OperationDoc } from './openapi.ts';
import {
  answerLetterBody,
  closeLetterBody,
  delegateLetterBody,
  letterBody,
  letterResponse,
  mailboxSettingsBody,
} from './voice-schemas.ts';

const letterId = { name: 'id', in: 'path' as const, required: true, description: 'letter id' };

export const voiceOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/letters',
    summary:
      'Write to the chair (主席信箱; members): subject, text, category (教学科研, 后勤保障, 薪酬福利, 工会工作, 其他), chairOnly hides it from all but the chair',
    auth: true,
    request: letterBody,
    response: letterResponse,
    responses: { '201': 'Written', '400': 'Invalid body (the failing fields)', '403': 'Not a member' },
  },
  {
    method: 'get',
    path: '/letters',
    summary:
      "Letters, newest first: the chair every one, the chair's delegates all but chair-only ones, everyone else their own",
    auth: true,
    parameters: [
      { name: 'year', in: 'query' },
      { name: 'category', in: 'query' },
      { name: 'state', in: 'query', description: 'open | answered | closed' },
      { name: 'mine', in: 'query', description: 'true: only the caller’s own letters' },
      { name: 'assignedToMe', in: 'query', description: 'true: only letters handed to the caller' },
      { name: 'limit', in: 'query', description: '1–200, default 50' },
      { name: 'cursor', in: 'query', description: 'From the previous page' },
    ],
    responses: { '400': 'Invalid filter or cursor' },
  },
  {
    method: 'get',
    path: '/letters/settings',
    summary: "The mailbox settings: the chair's delegates and the reminder's days (chair, admin)",
    auth: true,
  },
  {
    method: 'put',
    path: '/letters/settings',
    summary:
      "Name the chair's delegates (工号) and the days before an unanswered letter is reminded (default 7); the chair, whose work email gets the reminders",
    auth: true,
    request: mailboxSettingsBody,
    responses: { '400': 'Invalid body (the failing fields)' },
  },
  {
    method: 'get',
    path: '/letters/{id}',
    summary: 'One letter with its answers (its writer, the chair, the chair’s delegates unless chair-only)',
    auth: true,
    parameters: [letterId],
    responses: { '404': 'No such letter, or not one the caller may see' },
  },
  {
    method: 'post',
    path: '/letters/{id}/delegate',
    summary: "Hand a letter to one of the chair's delegates (the chair); they are mailed",
    auth: true,
    request: delegateLetterBody,
    response: letterResponse,
    parameters: [letterId],
    responses: {
      '400': 'Invalid body, or `to` is not a delegate of the chair',
      '404': 'No such letter',
      '409': 'A chair-only letter (never handed on), or closed',
    },
  },
  {
    method: 'post',
    path: '/letters/{id}/answer',
    summary:
      'Answer a letter (the chair, or the delegate it was handed to); every answer is kept and mailed to the writer',
    auth: true,
    request: answerLetterBody,
    response: letterResponse,
    parameters: [letterId],
    responses: { '404': 'No such letter', '409': 'Closed' },
  },
  {
    method: 'post',
    path: '/letters/{id}/close',
    summary:
      'Close a letter (its writer, the chair, or the delegate it was handed to), with an optional note',
    auth: true,
    request: closeLetterBody,
    response: letterResponse,
    parameters: [letterId],
    responses: { '404': 'No such letter', '409': 'Closed already' },
  },
  {
    method: 'get',
    path: '/reports/letters',
    summary:
      'The year’s letters by category: count, answered, median and maximum days to the first answer (chair, admin)',
    auth: true,
    parameters: [{ name: 'year', in: 'query', required: true }],
  },
];
