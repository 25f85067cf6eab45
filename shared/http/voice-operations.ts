/**
 * The members' voice API's operations for /openapi.json: the chair's mailbox (主席信箱), the
 * survey (会员评家) and suggestions (建言献策).
 */
import type { OperationDoc } from './openapi.ts';
import { letterReportResponse } from './reports-schemas.ts';
import {
  answerLetterBody,
  closeLetterBody,
  convertSuggestionBody,
  delegateLetterBody,
  emptyBody,
  letterBody,
  letterResponse,
  mailboxSettingsBody,
  suggestionBody,
  surveyAnswerBody,
  surveyBody,
} from './voice-schemas.ts';

const surveyId = { name: 'id', in: 'path' as const, required: true, description: 'survey id' };
const suggestionId = { name: 'id', in: 'path' as const, required: true, description: 'suggestion id' };
const letterId = { name: 'id', in: 'path' as const, required: true, description: 'letter id' };

export const voiceOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/letters',
    operationId: 'writeLetter',
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
    operationId: 'listLetters',
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
    operationId: 'getMailboxSettings',
    summary: "The mailbox settings: the chair's delegates and the reminder's days (chair, admin)",
    auth: true,
  },
  {
    method: 'put',
    path: '/letters/settings',
    operationId: 'setMailboxSettings',
    summary:
      "Name the chair's delegates (工号) and the days before an unanswered letter is reminded (default 7); the chair, whose work email gets the reminders",
    auth: true,
    request: mailboxSettingsBody,
    responses: { '400': 'Invalid body (the failing fields)' },
  },
  {
    method: 'get',
    path: '/letters/{id}',
    operationId: 'getLetter',
    summary: 'One letter with its answers (its writer, the chair, the chair’s delegates unless chair-only)',
    auth: true,
    parameters: [letterId],
    responses: { '404': 'No such letter, or not one the caller may see' },
  },
  {
    method: 'post',
    path: '/letters/{id}/delegate',
    operationId: 'delegateLetter',
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
    operationId: 'answerLetter',
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
    operationId: 'closeLetter',
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
    operationId: 'getLetterReport',
    summary:
      'The year’s letters by category: count, answered, median and maximum days to the first answer (chair, admin, auditor)',
    auth: true,
    parameters: [{ name: 'year', in: 'query', required: true }],
    response: letterReportResponse,
  },
  {
    method: 'get',
    path: '/reports/letters.csv',
    operationId: 'getLetterReportCsv',
    summary:
      'The same report as CSV: one row per category and a total row, days to the first answer (chair, admin, auditor)',
    auth: true,
    produces: 'text/csv',
    parameters: [{ name: 'year', in: 'query', required: true }],
    responses: { '400': 'Invalid year' },
  },
  {
    method: 'post',
    path: '/surveys',
    operationId: 'createSurvey',
    summary:
      'Draft a survey (会员评家; chair, admin): rating (1–5), choice and text questions, an open window opensOn–closesOn',
    auth: true,
    request: surveyBody,
    responses: { '201': 'Drafted', '400': 'Invalid body (the failing fields)' },
  },
  {
    method: 'get',
    path: '/surveys',
    operationId: 'listSurveys',
    summary:
      'Surveys, newest first, with their window (not_open | open | closed); drafts only for the chair and admins',
    auth: true,
  },
  {
    method: 'get',
    path: '/surveys/{id}',
    operationId: 'getSurvey',
    summary: 'One survey, with its window and whether the caller has answered it',
    auth: true,
    parameters: [surveyId],
    responses: { '404': 'No such survey (a draft for anyone but the chair and admins)' },
  },
  {
    method: 'post',
    path: '/surveys/{id}/publish',
    operationId: 'publishSurvey',
    summary: 'Publish a draft (chair, admin): members answer it within its window',
    auth: true,
    request: emptyBody,
    parameters: [surveyId],
    responses: { '404': 'No such survey', '409': 'Not a draft' },
  },
  {
    method: 'post',
    path: '/surveys/{id}/close',
    operationId: 'closeSurvey',
    summary: 'Close a published survey before its closing date (chair, admin); its results can then be read',
    auth: true,
    request: emptyBody,
    parameters: [surveyId],
    responses: { '404': 'No such survey', '409': 'Not published' },
  },
  {
    method: 'post',
    path: '/surveys/{id}/answers',
    operationId: 'answerSurvey',
    summary:
      'Answer a survey, once (members). Stored anonymously: the answer without the member, apart from the marker that they answered; nothing of it comes back',
    auth: true,
    request: surveyAnswerBody,
    parameters: [surveyId],
    responses: {
      '201': 'Answered',
      '400': 'Invalid answers (the failing fields)',
      '403': 'Not a member',
      '404': 'No such survey',
      '409': 'Answered already, or outside the window',
    },
  },
  {
    method: 'get',
    path: '/surveys/{id}/results',
    operationId: 'getSurveyResults',
    summary:
      'Aggregate results per branch once the survey is closed (chair, admin; officers their branch): rating mean and distribution, choice counts, texts without authors; no breakdown of a branch with fewer than 5 answers',
    auth: true,
    parameters: [
      surveyId,
      { name: 'branch', in: 'query', description: 'One branch (officers: only their own)' },
    ],
    responses: { '404': 'No such survey', '409': 'Still open: results once it is closed' },
  },
  {
    method: 'post',
    path: '/suggestions',
    operationId: 'createSuggestion',
    summary: 'Post a suggestion (建言献策; members)',
    auth: true,
    request: suggestionBody,
    responses: { '201': 'Posted', '400': 'Invalid body (the failing fields)', '403': 'Not a member' },
  },
  {
    method: 'get',
    path: '/suggestions',
    operationId: 'listSuggestions',
    summary:
      'Suggestions, newest first: officers, the chair, admins and delegates every one, others their own',
    auth: true,
    parameters: [
      { name: 'mine', in: 'query', description: 'true: only the caller’s own' },
      { name: 'limit', in: 'query', description: '1–200, default 50' },
      { name: 'cursor', in: 'query', description: 'From the previous page' },
    ],
    responses: { '400': 'Invalid filter or cursor' },
  },
  {
    method: 'get',
    path: '/suggestions/{id}',
    operationId: 'getSuggestion',
    summary: 'One suggestion (its author, officers, delegates), with the proposal made of it',
    auth: true,
    parameters: [suggestionId],
    responses: { '404': 'No such suggestion' },
  },
  {
    method: 'post',
    path: '/suggestions/{id}/convert',
    operationId: 'convertSuggestion',
    summary:
      "Turn a suggestion into a proposal draft of the caller's own (delegates); title and content default to the suggestion's",
    auth: true,
    request: convertSuggestionBody,
    parameters: [suggestionId],
    responses: {
      '201': 'The draft, and the suggestion with its proposalId',
      '404': 'No such suggestion',
      '409': 'Converted already',
    },
  },
];
