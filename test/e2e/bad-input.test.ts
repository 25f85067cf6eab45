/**
 * Bad input, generated and classic, through the real gateway, functions and DynamoDB Local, on
 * every operation of the API (shared/http/api-operations.ts; a new one without its entry here
 * fails the run):
 *
 * - bodies: arbitrary JSON each operation's own zod schema refuses, near misses (its field names
 *   with values of the wrong kind), arbitrary text sent as JSON; also sent by a caller without
 *   the role, who gets 403 whatever they sent;
 * - query strings: the schema's parameters and others with arbitrary values (all of Unicode),
 *   raw malformed query text, forged cursors;
 * - path parameters: ids of any length and alphabet, percent-encoded;
 * - headers: content types, If-Match values;
 * - the classics: 413, 415, JSON nested 50,000 deep, unicode edge cases and injection-looking text
 *   stored verbatim;
 * - malformed events onto the bus (HR's five event types, domain events) and straight onto every
 *   consumer's queue.
 *
 * Asserted: never a 5xx; the right 4xx (400 naming the failing fields, 403, 404, 409, 412, 413,
 * 415); nothing written (the whole table's item count, and the member, proposals and care request
 * aimed at, unchanged); every malformed event in its consumer's DLQ.
 *
 * fast-check prints the seed and the shrunk counterexample of a failure: rerun with
 * BAD_INPUT_SEED=<seed> to reproduce. BAD_INPUT_RUNS scales the generated cases (the soak asks
 * for more).
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { HR_DETAIL_SCHEMAS, type HrDetailType } from '../../events/hr.ts';
import { MemberEnrolled, MemberLeft } from '../../events/members.ts';
import { listDlq } from '../../infra/cli/commands/dlq.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { type QueueKey, queues } from '../../infra/topology.ts';
import { cancelBody, createActivityBody, registerBody } from '../../shared/http/activities-schemas.ts';
import { apiOperations } from '../../shared/http/api-operations.ts';
import {
  createAwardBody,
  nominationBody,
  shortlistBody,
  voteBody,
} from '../../shared/http/awards-schemas.ts';
import {
  careRequestBody,
  decisionBody,
  ledgerQuery,
  occasionBody,
  policyBody,
  policyQuery,
  requestListQuery,
  workdaysBody,
} from '../../shared/http/care-schemas.ts';
import {
  acceptInvitationBody,
  departmentBody,
  leaveBody,
  manualEnrolmentBody,
  memberListQuery,
} from '../../shared/http/members-schemas.ts';
import { choiceBody, windowBody } from '../../shared/http/mutual-aid-schemas.ts';
import {
  actionBodies,
  createProposalBody,
  editProposalBody,
  exportQuery,
  proposalListQuery,
  sessionQuery,
} from '../../shared/http/proposals-schemas.ts';
import {
  answerLetterBody,
  closeLetterBody,
  convertSuggestionBody,
  delegateLetterBody,
  emptyBody,
  letterBody,
  letterListQuery,
  letterReportQuery,
  mailboxSettingsBody,
  suggestionBody,
  suggestionListQuery,
  surveyAnswerBody,
  surveyBody,
} from '../../shared/http/voice-schemas.ts';
import { recordFigure } from '../support/figures.ts';
import {
  api,
  db,
  hiredEvent,
  hrEvent,
  memberByEmployee,
  publish,
  queryPartition,
  runtime,
  token,
  uniqueId,
  waitIdle,
} from './support.ts';

/** Generated cases per operation and kind; the soak run asks for more. */
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 120);
const SEED = process.env.BAD_INPUT_SEED === undefined ? undefined : Number(process.env.BAD_INPUT_SEED);
const params = (numRuns: number) => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });
const COMMAND = 'npx vitest run test/e2e/bad-input.test.ts';

/** Every item in the table, counted (DynamoDB Local keeps no TTL sweeper running, so it is stable). */
const tableCount = async () => {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new ScanCommand({ TableName: runtime().tableName, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
};

/** Arbitrary JSON, with strings from all of Unicode, that the route's own schema refuses. */
const refusedBy = (schema: z.ZodMiniType) =>
  fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }).filter((v) => !schema.safeParse(v).success);

/** A schema's field names (strict objects, and the shape of a checked object). */
const fieldsOf = (schema: z.ZodMiniType): string[] =>
  Object.keys((schema as unknown as { def: { shape?: Record<string, unknown> } }).def.shape ?? {});

/** Values of every kind, long and short, from all of Unicode. */
const anyValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  fc.string({ minLength: 2000, maxLength: 2100 }),
);

/** Near misses: objects with the schema's field names and values of the wrong kind. */
const nearMiss = (schema: z.ZodMiniType) => {
  const fields = fieldsOf(schema);
  return fc
    .dictionary(fc.constantFrom(...fields, 'extra', '__proto__', 'constructor'), anyValue, {
      maxKeys: fields.length + 1,
    })
    .filter((v) => !schema.safeParse(v).success);
};

/** Query values as a client may send them: any well-formed text, including outside the BMP. */
const queryValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
  fc.integer({ min: -10, max: 300 }).map(String),
  fc.constantFrom(
    '',
    ' ',
    '1e2',
    '0x10',
    'NaN',
    '-0',
    '2026',
    'active',
    'draft',
    "' OR 1=1 --",
    '{"$gt":""}',
  ),
  fc.string({ minLength: 1000, maxLength: 1500 }),
  // Cursors: base64url of any JSON, and of objects of key attributes (forged page keys).
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc
    .dictionary(
      fc.constantFrom('PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'x'),
      fc.oneof(fc.string(), fc.integer()),
      { maxKeys: 4 },
    )
    .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
);

/** Raw query text, not built from a dictionary: broken escapes, stray separators, repeats. */
const rawQuery = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '%',
        '%Z',
        '%ZZ',
        '%00',
        '%C3%28',
        '%ED%A0%80',
        '&',
        '=',
        '==',
        '+',
        ';',
        '%23',
        '?',
        'limit=1',
        'limit=2',
        'year=2026',
      ),
      // Not '#': a client's URL ends its query there.
      fc.string({ unit: 'grapheme-ascii', maxLength: 6 }).map((t) => t.replaceAll('#', '%23')),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

interface Ctx {
  admin: string;
  chair: string;
  officer: string;
  member: string;
  otherMember: string;
  author: string;
  delegate: string;
  committee: string;
  department: string;
  memberId: string;
  /** A proposal taken to "assigned" by `author`, led by `department`. */
  assignedId: string;
  /** `author`'s draft. */
  draftId: string;
  /** A pending care request for the member. */
  careRequestId: string;
  /** A letter to the chair by `member`. */
  letterId: string;
  /** A draft survey, a published open one, a suggestion by `member`. */
  surveyDraftId: string;
  surveyId: string;
  suggestionId: string;
  /** A school-wide activity open for registration (nobody registered). */
  activityId: string;
  /** An award in its nomination window, nobody nominated. */
  awardId: string;
}
let ctx: Ctx;

const counted = { requests: 0, fiveHundreds: 0, partialWrites: 0, wrong: 0 };
const fiveHundreds: string[] = [];

/** One request, counted; a 5xx is remembered with what caused it. */
const send = async (
  method: string,
  path: string,
  who: string | undefined,
  opts: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
) => {
  const res = await api(method, path, { ...(who ? { token: who } : {}), ...opts });
  counted.requests++;
  if (res.status >= 500) {
    counted.fiveHundreds++;
    fiveHundreds.push(`${res.status} ${method} ${path.slice(0, 120)} ${JSON.stringify(opts).slice(0, 200)}`);
  }
  return res;
};

/** What the objects aimed at look like: compared before and after every section. */
const snapshot = async () => ({
  items: await tableCount(),
  member: await memberByEmployee(selfEmployee),
  assigned: await queryPartition(`PROPOSAL#${ctx.assignedId}`),
  draft: await queryPartition(`PROPOSAL#${ctx.draftId}`),
  care: await queryPartition(`CAREREQ#${ctx.careRequestId}`),
  letter: await queryPartition(`LETTER#${ctx.letterId}`),
  surveyDraft: await queryPartition(`SURVEY#${ctx.surveyDraftId}`),
  survey: await queryPartition(`SURVEY#${ctx.surveyId}`),
  suggestion: await queryPartition(`SUGGESTION#${ctx.suggestionId}`),
  activity: await queryPartition(`ACTIVITY#${ctx.activityId}`),
  mutualAid: await queryPartition('MUTUALAID#2032'),
  award: await queryPartition(`AWARD#${ctx.awardId}`),
});
let selfEmployee = '';

/** Runs a section and counts what it changed (the item count and the objects aimed at). */
const unchanged = async (section: () => Promise<void>) => {
  const before = await snapshot();
  await section();
  const after = await snapshot();
  const changed =
    Math.abs(after.items - before.items) + (JSON.stringify(after) === JSON.stringify(before) ? 0 : 1);
  counted.partialWrites += changed;
  expect(after).toEqual(before);
};

beforeAll(async () => {
  const dept = uniqueId('BID');
  const branch = uniqueId('BIB');
  const lead = uniqueId('BIL');
  const admin = await token(uniqueId('BIA'), 'admin');
  expect(
    (
      await api('PUT', `/departments/${dept}`, {
        token: admin,
        body: { departmentName: '坏输入学院', branch: { code: branch, name: '坏输入分工会' } },
      })
    ).status,
  ).toBe(200);
  selfEmployee = uniqueId('BIM');
  const other = uniqueId('BIO');
  await publish([
    hiredEvent(selfEmployee, { department: { code: dept, name: '坏输入学院' } }),
    hiredEvent(other, { department: { code: dept, name: '坏输入学院' } }),
  ]);
  await waitIdle();
  const memberId = (await memberByEmployee(selfEmployee))!.memberId as string;
  const author = await token(uniqueId('BIAU'), 'delegate');
  const delegate = await token(uniqueId('BIDL'), 'delegate');
  const committee = await token(uniqueId('BIC'), 'committee');
  const file = async () => {
    const res = await api('POST', '/proposals', {
      token: author,
      body: { title: '坏输入', content: '内容', session: 'BADINPUT' },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const assignedId = await file();
  const draftId = await file();
  const step = async (who: string, action: string, body: unknown = {}) =>
    expect((await api('POST', `/proposals/${assignedId}/${action}`, { token: who, body })).status).toBe(200);
  await step(author, 'submit');
  await step(delegate, 'second');
  await step(await token(uniqueId('BID2'), 'delegate'), 'second');
  await step(committee, 'review', { decision: 'register' });
  await step(committee, 'assign', {
    department: lead,
    dueDate: new Date(Date.now() + 864e6).toISOString().slice(0, 10),
  });
  const care = await api('POST', '/care/requests', {
    token: admin,
    body: { memberId, kind: 'wedding', date: new Date().toISOString().slice(0, 10) },
  });
  expect(care.status).toBe(201);
  const memberToken = await token(selfEmployee, 'member');
  const letter = await api('POST', '/letters', {
    token: memberToken,
    body: { subject: '坏输入', text: '内容', category: '其他' },
  });
  expect(letter.status).toBe(201);
  const chair = await token(uniqueId('BICH'), 'chair');
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const draft = async () => {
    const res = await api('POST', '/surveys', {
      token: chair,
      body: {
        title: '坏输入',
        questions: [
          { kind: 'rating', prompt: '满意度' },
          { kind: 'choice', prompt: '选择', options: ['甲', '乙'] },
        ],
        opensOn: today,
        closesOn: new Date(Date.now() + 864e6).toISOString().slice(0, 10),
      },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const surveyDraftId = await draft();
  const surveyId = await draft();
  expect((await api('POST', `/surveys/${surveyId}/publish`, { token: chair, body: {} })).status).toBe(200);
  const suggestion = await api('POST', '/suggestions', {
    token: memberToken,
    body: { title: '坏输入', text: '内容' },
  });
  expect(suggestion.status).toBe(201);
  const activity = await api('POST', '/activities', {
    token: admin,
    body: {
      title: '坏输入活动',
      kind: 'other',
      date: '2099-01-01',
      place: '坏输入',
      capacity: 3,
      opensOn: today,
      closesOn: '2098-12-31',
      eligibility: 'members_with_family',
    },
  });
  expect(activity.status).toBe(201);
  const window = await api('PUT', '/mutual-aid/2032', {
    token: admin,
    body: { opensOn: today, closesOn: '2098-12-31', feeYuan: '10' },
  });
  expect(window.status).toBe(200);
  const award = await api('POST', '/awards', {
    token: admin,
    body: {
      title: '坏输入评选',
      kind: 'other',
      nominationOpensOn: today,
      nominationClosesOn: '2098-01-01',
      votingOpensOn: '2098-06-01',
      votingClosesOn: '2098-12-31',
      places: 1,
    },
  });
  expect(award.status).toBe(201);
  ctx = {
    admin,
    chair,
    officer: await token(uniqueId('BIOF'), 'officer', { branch }),
    member: await token(selfEmployee, 'member'),
    otherMember: await token(other, 'member'),
    author,
    delegate,
    committee,
    department: await token(uniqueId('BIDP'), 'department', { department: lead }),
    memberId,
    assignedId,
    draftId,
    careRequestId: care.body.id,
    letterId: letter.body.id,
    surveyDraftId,
    surveyId,
    suggestionId: suggestion.body.id,
    activityId: activity.body.id,
    awardId: award.body.id,
  };
  await waitIdle();
});

// ---------------------------------------------------------------------------------------------
// Bodies.

interface BodyRoute {
  op: string;
  method: string;
  path: () => string;
  /** Allowed to call it: the body decides. Undefined: no token (public). */
  who: () => string | undefined;
  /** Not allowed (403 whatever the body); undefined on public routes. */
  forbidden?: () => string;
  schema: z.ZodMiniType;
  /** What a refused body gets; 400 always, and e.g. 404 where the object is looked up first. */
  expected: number[];
}

const action = (name: keyof typeof actionBodies, who: () => string, forbidden: () => string): BodyRoute => ({
  op: `POST /proposals/{id}/${name}`,
  method: 'POST',
  path: () => `/proposals/${ctx.assignedId}/${name}`,
  who,
  forbidden,
  schema: actionBodies[name],
  expected: [400],
});

const BODY_ROUTES: BodyRoute[] = [
  {
    op: 'POST /members',
    method: 'POST',
    path: () => '/members',
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: manualEnrolmentBody,
    expected: [400],
  },
  {
    op: 'POST /members/{id}/leave',
    method: 'POST',
    path: () => `/members/${ctx.memberId}/leave`,
    who: () => ctx.member,
    forbidden: () => ctx.otherMember,
    schema: leaveBody,
    expected: [400],
  },
  {
    op: 'PUT /departments/{code}',
    method: 'PUT',
    path: () => '/departments/BADINPUT',
    who: () => ctx.admin,
    forbidden: () => ctx.officer,
    schema: departmentBody,
    expected: [400],
  },
  {
    op: 'POST /invitations/{id}/accept',
    method: 'POST',
    path: () => `/invitations/${ctx.memberId}/accept`,
    who: () => undefined,
    schema: acceptInvitationBody,
    // The member was enrolled from HR's hire (automatic mode): no invitation to find.
    expected: [400, 404],
  },
  {
    op: 'POST /proposals',
    method: 'POST',
    path: () => '/proposals',
    who: () => ctx.delegate,
    forbidden: () => ctx.member,
    schema: createProposalBody,
    expected: [400],
  },
  {
    // Editing the author's draft; anyone else's draft does not exist for them (404), so no
    // forbidden caller here (the access matrix has the 403 of a published one).
    op: 'PATCH /proposals/{id}',
    method: 'PATCH',
    path: () => `/proposals/${ctx.draftId}`,
    who: () => ctx.author,
    schema: editProposalBody,
    expected: [400],
  },
  action(
    'submit',
    () => ctx.author,
    () => ctx.delegate,
  ),
  action(
    'second',
    () => ctx.delegate,
    () => ctx.author,
  ),
  action(
    'withdraw',
    () => ctx.author,
    () => ctx.committee,
  ),
  action(
    'review',
    () => ctx.committee,
    () => ctx.chair,
  ),
  action(
    'assign',
    () => ctx.committee,
    () => ctx.department,
  ),
  action(
    'answer',
    () => ctx.department,
    () => ctx.committee,
  ),
  action(
    'feedback',
    () => ctx.author,
    () => ctx.delegate,
  ),
  {
    op: 'POST /care/requests',
    method: 'POST',
    path: () => '/care/requests',
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: careRequestBody,
    expected: [400],
  },
  ...(['approve', 'reject'] as const).map(
    (d): BodyRoute => ({
      op: `POST /care/requests/{id}/${d}`,
      method: 'POST',
      path: () => `/care/requests/${ctx.careRequestId}/${d}`,
      who: () => ctx.chair,
      forbidden: () => ctx.admin,
      schema: decisionBody,
      expected: [400],
    }),
  ),
  {
    op: 'PUT /care/policy',
    method: 'PUT',
    path: () => '/care/policy',
    who: () => ctx.chair,
    forbidden: () => ctx.officer,
    schema: policyBody,
    expected: [400],
  },
  {
    op: 'POST /care/occasions',
    method: 'POST',
    path: () => '/care/occasions',
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: occasionBody,
    expected: [400],
  },
  {
    op: 'PUT /care/workdays/{year}',
    method: 'PUT',
    path: () => '/care/workdays/2031',
    who: () => ctx.admin,
    forbidden: () => ctx.officer,
    schema: workdaysBody,
    expected: [400],
  },
  {
    op: 'POST /letters',
    method: 'POST',
    path: () => '/letters',
    who: () => ctx.member,
    // A token without a member record.
    forbidden: () => ctx.delegate,
    schema: letterBody,
    expected: [400],
  },
  {
    op: 'PUT /letters/settings',
    method: 'PUT',
    path: () => '/letters/settings',
    who: () => ctx.chair,
    forbidden: () => ctx.admin,
    schema: mailboxSettingsBody,
    expected: [400],
  },
  {
    op: 'POST /letters/{id}/delegate',
    method: 'POST',
    path: () => `/letters/${ctx.letterId}/delegate`,
    who: () => ctx.chair,
    forbidden: () => ctx.admin,
    schema: delegateLetterBody,
    expected: [400],
  },
  {
    op: 'POST /letters/{id}/answer',
    method: 'POST',
    path: () => `/letters/${ctx.letterId}/answer`,
    who: () => ctx.chair,
    // The writer sees the letter and may not answer it.
    forbidden: () => ctx.member,
    schema: answerLetterBody,
    expected: [400],
  },
  {
    op: 'POST /letters/{id}/close',
    method: 'POST',
    path: () => `/letters/${ctx.letterId}/close`,
    who: () => ctx.chair,
    schema: closeLetterBody,
    expected: [400],
  },
  {
    op: 'POST /surveys',
    method: 'POST',
    path: () => '/surveys',
    who: () => ctx.chair,
    forbidden: () => ctx.officer,
    schema: surveyBody,
    expected: [400],
  },
  ...(
    [
      ['publish', () => ctx.surveyDraftId],
      ['close', () => ctx.surveyId],
    ] as const
  ).map(
    ([name, id]): BodyRoute => ({
      op: `POST /surveys/{id}/${name}`,
      method: 'POST',
      path: () => `/surveys/${id()}/${name}`,
      who: () => ctx.admin,
      forbidden: () => ctx.officer,
      schema: emptyBody,
      expected: [400],
    }),
  ),
  {
    op: 'POST /surveys/{id}/answers',
    method: 'POST',
    path: () => `/surveys/${ctx.surveyId}/answers`,
    who: () => ctx.member,
    // A token without a member record.
    forbidden: () => ctx.delegate,
    schema: surveyAnswerBody,
    expected: [400],
  },
  {
    op: 'POST /suggestions',
    method: 'POST',
    path: () => '/suggestions',
    who: () => ctx.member,
    forbidden: () => ctx.delegate,
    schema: suggestionBody,
    expected: [400],
  },
  {
    op: 'POST /suggestions/{id}/convert',
    method: 'POST',
    path: () => `/suggestions/${ctx.suggestionId}/convert`,
    who: () => ctx.delegate,
    forbidden: () => ctx.member,
    schema: convertSuggestionBody,
    expected: [400],
  },
  {
    op: 'POST /activities',
    method: 'POST',
    path: () => '/activities',
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: createActivityBody,
    expected: [400],
  },
  {
    op: 'POST /activities/{id}/register',
    method: 'POST',
    path: () => `/activities/${ctx.activityId}/register`,
    who: () => ctx.member,
    // Not a member (an officer's token of no member): 403 whatever the body.
    forbidden: () => ctx.officer,
    schema: registerBody,
    expected: [400],
  },
  {
    op: 'POST /activities/{id}/cancel',
    method: 'POST',
    path: () => `/activities/${ctx.activityId}/cancel`,
    who: () => ctx.member,
    forbidden: () => ctx.officer,
    schema: cancelBody,
    expected: [400],
  },
  {
    op: 'PUT /mutual-aid/{year}',
    method: 'PUT',
    path: () => '/mutual-aid/2032',
    who: () => ctx.chair,
    forbidden: () => ctx.officer,
    schema: windowBody,
    // A body of the right shape with a fee of 0 or closing before it opens: 400 too.
    expected: [400],
  },
  {
    op: 'POST /mutual-aid/{year}/choice',
    method: 'POST',
    path: () => '/mutual-aid/2032/choice',
    who: () => ctx.member,
    forbidden: () => ctx.officer,
    schema: choiceBody,
    expected: [400],
  },
  {
    op: 'POST /awards',
    method: 'POST',
    path: () => '/awards',
    who: () => ctx.admin,
    forbidden: () => ctx.officer,
    schema: createAwardBody,
    expected: [400],
  },
  {
    op: 'POST /awards/{id}/nominations',
    method: 'POST',
    path: () => `/awards/${ctx.awardId}/nominations`,
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: nominationBody,
    expected: [400],
  },
  {
    op: 'POST /awards/{id}/shortlist',
    method: 'POST',
    path: () => `/awards/${ctx.awardId}/shortlist`,
    who: () => ctx.committee,
    forbidden: () => ctx.admin,
    schema: shortlistBody,
    expected: [400],
  },
  {
    op: 'POST /awards/{id}/vote',
    method: 'POST',
    path: () => `/awards/${ctx.awardId}/vote`,
    who: () => ctx.member,
    forbidden: () => ctx.officer,
    schema: voteBody,
    expected: [400],
  },
];

// ---------------------------------------------------------------------------------------------
// Query strings.

interface QueryRoute {
  op: string;
  path: string;
  who: () => string | undefined;
  forbidden?: () => string;
  /** The route's query schema; undefined when the route reads no query (it must ignore one). */
  schema?: z.ZodMiniType;
  /** Query parameters the route needs, added unless generated. */
  base?: Record<string, string>;
}

const QUERY_ROUTES: QueryRoute[] = [
  { op: 'GET /health', path: '/health', who: () => undefined },
  { op: 'GET /openapi.json', path: '/openapi.json', who: () => undefined },
  { op: 'GET /invitations', path: '/invitations', who: () => undefined },
  { op: 'GET /members/me', path: '/members/me', who: () => ctx.member },
  { op: 'GET /departments', path: '/departments', who: () => ctx.admin, forbidden: () => ctx.member },
  {
    op: 'GET /members',
    path: '/members',
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: memberListQuery,
  },
  {
    op: 'GET /proposals',
    path: '/proposals',
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: proposalListQuery,
  },
  {
    op: 'GET /proposals/export.csv',
    path: '/proposals/export.csv',
    who: () => ctx.admin,
    forbidden: () => ctx.delegate,
    schema: exportQuery,
  },
  {
    op: 'GET /reports/proposals',
    path: '/reports/proposals',
    who: () => ctx.admin,
    forbidden: () => ctx.delegate,
    schema: sessionQuery,
  },
  {
    op: 'GET /care/requests',
    path: '/care/requests',
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: requestListQuery,
  },
  {
    op: 'GET /care/ledger',
    path: '/care/ledger',
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: ledgerQuery,
  },
  {
    op: 'GET /care/ledger.csv',
    path: '/care/ledger.csv',
    who: () => ctx.admin,
    forbidden: () => ctx.member,
    schema: ledgerQuery,
  },
  {
    op: 'GET /care/policy',
    path: '/care/policy',
    who: () => ctx.chair,
    forbidden: () => ctx.officer,
    schema: policyQuery,
  },
  { op: 'GET /care/occasions', path: '/care/occasions', who: () => ctx.admin, forbidden: () => ctx.officer },
  { op: 'GET /letters', path: '/letters', who: () => ctx.member, schema: letterListQuery },
  {
    op: 'GET /letters/settings',
    path: '/letters/settings',
    who: () => ctx.chair,
    forbidden: () => ctx.member,
  },
  {
    op: 'GET /reports/letters',
    path: '/reports/letters',
    who: () => ctx.chair,
    forbidden: () => ctx.member,
    schema: letterReportQuery,
  },
  { op: 'GET /surveys', path: '/surveys', who: () => ctx.member },
  { op: 'GET /suggestions', path: '/suggestions', who: () => ctx.member, schema: suggestionListQuery },
  { op: 'GET /activities', path: '/activities', who: () => ctx.member },
  { op: 'GET /awards', path: '/awards', who: () => ctx.member },
];

// ---------------------------------------------------------------------------------------------
// Path parameters.

interface PathRoute {
  op: string;
  method: string;
  path: (id: string) => string;
  who: () => string | undefined;
  /** A body the route would take, so that only the id decides. */
  body?: () => unknown;
  /** What an id that names nothing gets. */
  expected: number[];
}

const validAction: Record<keyof typeof actionBodies, unknown> = {
  submit: {},
  second: {},
  withdraw: { reason: '理由' },
  review: { decision: 'register' },
  assign: { department: 'X', dueDate: '2030-01-01' },
  answer: { content: '答复' },
  feedback: { rating: 'satisfied' },
};

const PATH_ROUTES: PathRoute[] = [
  {
    op: 'GET /members/{id}',
    method: 'GET',
    path: (id) => `/members/${id}`,
    who: () => ctx.admin,
    expected: [404],
  },
  {
    op: 'POST /members/{id}/leave',
    method: 'POST',
    path: (id) => `/members/${id}/leave`,
    who: () => ctx.admin,
    body: () => ({}),
    expected: [404],
  },
  {
    op: 'POST /invitations/{id}/accept',
    method: 'POST',
    path: (id) => `/invitations/${id}/accept`,
    who: () => undefined,
    body: () => ({ token: 'a'.repeat(43) }),
    expected: [404],
  },
  {
    // A code that is not a department code is refused (400); PUT never reaches a 404 but through
    // a path the URL parser shortened (`..`).
    op: 'PUT /departments/{code}',
    method: 'PUT',
    path: (id) => `/departments/${id}`,
    who: () => ctx.admin,
    body: () => ({ departmentName: '名', branch: { code: 'B', name: '分' } }),
    expected: [400, 404],
  },
  {
    op: 'GET /proposals/{id}',
    method: 'GET',
    path: (id) => `/proposals/${id}`,
    who: () => ctx.admin,
    expected: [404],
  },
  {
    op: 'GET /proposals/{id}/history',
    method: 'GET',
    path: (id) => `/proposals/${id}/history`,
    who: () => ctx.admin,
    expected: [404],
  },
  {
    op: 'PATCH /proposals/{id}',
    method: 'PATCH',
    path: (id) => `/proposals/${id}`,
    who: () => ctx.author,
    body: () => ({ title: '新标题' }),
    expected: [404],
  },
  ...(Object.keys(actionBodies) as Array<keyof typeof actionBodies>).map(
    (name): PathRoute => ({
      op: `POST /proposals/{id}/${name}`,
      method: 'POST',
      path: (id) => `/proposals/${id}/${name}`,
      who: () => ctx.admin,
      body: () => validAction[name],
      expected: [404],
    }),
  ),
  ...(['approve', 'reject'] as const).map(
    (d): PathRoute => ({
      op: `POST /care/requests/{id}/${d}`,
      method: 'POST',
      path: (id) => `/care/requests/${id}/${d}`,
      who: () => ctx.chair,
      body: () => ({ reason: '理由' }),
      expected: [404],
    }),
  ),
  {
    op: 'DELETE /care/occasions/{occasion}',
    method: 'DELETE',
    path: (id) => `/care/occasions/${id}`,
    who: () => ctx.chair,
    expected: [404],
  },
  {
    // Not a year: 400 naming `year`; 404 only through a path the URL parser shortened (`..`).
    op: 'GET /care/workdays/{year}',
    method: 'GET',
    path: (id) => `/care/workdays/${id}`,
    who: () => ctx.chair,
    expected: [400, 404],
  },
  {
    op: 'PUT /care/workdays/{year}',
    method: 'PUT',
    path: (id) => `/care/workdays/${id}`,
    who: () => ctx.chair,
    body: () => ({ days: [] }),
    expected: [400, 404],
  },
  {
    op: 'GET /letters/{id}',
    method: 'GET',
    path: (id) => `/letters/${id}`,
    who: () => ctx.chair,
    expected: [404],
  },
  ...(
    [
      ['delegate', { to: 'X' }],
      ['answer', { text: '答复' }],
      ['close', {}],
    ] as const
  ).map(
    ([name, body]): PathRoute => ({
      op: `POST /letters/{id}/${name}`,
      method: 'POST',
      path: (id) => `/letters/${id}/${name}`,
      who: () => ctx.chair,
      body: () => body,
      expected: [404],
    }),
  ),
  {
    op: 'GET /surveys/{id}',
    method: 'GET',
    path: (id) => `/surveys/${id}`,
    who: () => ctx.chair,
    expected: [404],
  },
  ...(['publish', 'close'] as const).map(
    (name): PathRoute => ({
      op: `POST /surveys/{id}/${name}`,
      method: 'POST',
      path: (id) => `/surveys/${id}/${name}`,
      who: () => ctx.chair,
      body: () => ({}),
      expected: [404],
    }),
  ),
  {
    op: 'POST /surveys/{id}/answers',
    method: 'POST',
    path: (id) => `/surveys/${id}/answers`,
    who: () => ctx.member,
    body: () => ({ answers: [{ question: 'q1', rating: 3 }] }),
    expected: [404],
  },
  {
    op: 'GET /surveys/{id}/results',
    method: 'GET',
    path: (id) => `/surveys/${id}/results`,
    who: () => ctx.chair,
    expected: [404],
  },
  {
    op: 'GET /suggestions/{id}',
    method: 'GET',
    path: (id) => `/suggestions/${id}`,
    who: () => ctx.chair,
    expected: [404],
  },
  {
    op: 'POST /suggestions/{id}/convert',
    method: 'POST',
    path: (id) => `/suggestions/${id}/convert`,
    who: () => ctx.delegate,
    body: () => ({}),
    expected: [404],
  },
  {
    op: 'GET /activities/{id}',
    method: 'GET',
    path: (id) => `/activities/${id}`,
    who: () => ctx.member,
    expected: [404],
  },
  {
    op: 'POST /activities/{id}/register',
    method: 'POST',
    path: (id) => `/activities/${id}/register`,
    who: () => ctx.member,
    body: () => ({ family: 1 }),
    expected: [404],
  },
  {
    op: 'POST /activities/{id}/cancel',
    method: 'POST',
    path: (id) => `/activities/${id}/cancel`,
    who: () => ctx.member,
    body: () => ({}),
    expected: [404],
  },
  {
    op: 'GET /activities/{id}/participants',
    method: 'GET',
    path: (id) => `/activities/${id}/participants`,
    who: () => ctx.admin,
    expected: [404],
  },
  // A year that is not four digits: 400 naming `year`; a year without a window: 404.
  {
    op: 'PUT /mutual-aid/{year}',
    method: 'PUT',
    path: (id) => `/mutual-aid/${id}`,
    who: () => ctx.chair,
    body: () => ({ opensOn: '2030-01-01', closesOn: '2030-01-31', feeYuan: '10' }),
    expected: [400, 404],
  },
  {
    op: 'GET /mutual-aid/{year}',
    method: 'GET',
    path: (id) => `/mutual-aid/${id}`,
    who: () => ctx.member,
    expected: [400, 404],
  },
  {
    op: 'POST /mutual-aid/{year}/choice',
    method: 'POST',
    path: (id) => `/mutual-aid/${id}/choice`,
    who: () => ctx.member,
    body: () => ({ enrol: true }),
    expected: [400, 404],
  },
  {
    op: 'GET /mutual-aid/{year}/enrolled.csv',
    method: 'GET',
    path: (id) => `/mutual-aid/${id}/enrolled.csv`,
    who: () => ctx.admin,
    expected: [400, 404],
  },
  {
    op: 'GET /awards/{id}',
    method: 'GET',
    path: (id) => `/awards/${id}`,
    who: () => ctx.member,
    expected: [404],
  },
  {
    op: 'POST /awards/{id}/nominations',
    method: 'POST',
    path: (id) => `/awards/${id}/nominations`,
    who: () => ctx.admin,
    body: () => ({ employeeId: 'X', citation: '事迹' }),
    expected: [404],
  },
  {
    op: 'GET /awards/{id}/nominations',
    method: 'GET',
    path: (id) => `/awards/${id}/nominations`,
    who: () => ctx.admin,
    expected: [404],
  },
  {
    op: 'POST /awards/{id}/shortlist',
    method: 'POST',
    path: (id) => `/awards/${id}/shortlist`,
    who: () => ctx.committee,
    body: () => ({ nominationIds: ['X'] }),
    expected: [404],
  },
  {
    op: 'POST /awards/{id}/vote',
    method: 'POST',
    path: (id) => `/awards/${id}/vote`,
    who: () => ctx.member,
    body: () => ({ nominationId: 'X' }),
    expected: [404],
  },
  {
    op: 'GET /awards/{id}/results',
    method: 'GET',
    path: (id) => `/awards/${id}/results`,
    who: () => ctx.member,
    expected: [404],
  },
];

/** Ids that name nothing: any text, long and short, percent-encoded as a client must. */
const anyId = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
    fc.string({ unit: 'grapheme', minLength: 300, maxLength: 500 }),
    fc.string({ minLength: 2100, maxLength: 4000 }),
    fc.constantFrom("' OR 1=1 --", '<script>', '{"$gt":""}', 'PROPOSAL', 'X#PROPOSAL', '%00', '..', '.', '~'),
  )
  .map(encodeURIComponent);

// ---------------------------------------------------------------------------------------------

const operations = () => new Set(apiOperations.map((o) => `${o.method.toUpperCase()} ${o.path}`));

it('generates input for every operation of the API (a new one needs its entry here)', () => {
  const withBody = apiOperations
    .filter((o) => o.request)
    .map((o) => `${o.method.toUpperCase()} ${o.path}`)
    .sort();
  expect(BODY_ROUTES.map((r) => r.op).sort()).toEqual(withBody);
  const withPathParameter = [...operations()].filter((o) => o.includes('{')).sort();
  expect(PATH_ROUTES.map((r) => r.op).sort()).toEqual(withPathParameter);
  const withoutPathParameter = [...operations()]
    .filter((o) => o.startsWith('GET') && !o.includes('{'))
    .sort();
  expect(QUERY_ROUTES.map((r) => r.op).sort()).toEqual(withoutPathParameter);
});

describe('generated bodies', () => {
  it('refuses every malformed body with the right 4xx, 403 before looking at it, and writes nothing', async () => {
    await unchanged(async () => {
      for (const route of BODY_ROUTES) {
        const wrong = (status: number, body: unknown) =>
          `${route.op}: ${status} for ${JSON.stringify(body)?.slice(0, 120)}`;
        await fc.assert(
          fc.asyncProperty(fc.oneof(refusedBy(route.schema), nearMiss(route.schema)), async (body) => {
            const res = await send(route.method, route.path(), route.who(), { body });
            if (!route.expected.includes(res.status)) throw new Error(wrong(res.status, body));
            // A 400 names what failed.
            if (res.status === 400) {
              expect(typeof res.body?.message).toBe('string');
              if (res.body.errors) expect(res.body.errors.length).toBeGreaterThan(0);
            }
          }),
          params(RUNS),
        );
        // Arbitrary text sent as JSON: not JSON (400), or JSON the schema refuses.
        await fc.assert(
          fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
            const asSent = (): unknown => {
              if (text === '') return {}; // an empty body is an absent one
              try {
                return JSON.parse(text);
              } catch {
                return undefined;
              }
            };
            fc.pre(!route.schema.safeParse(asSent()).success);
            const res = await send(route.method, route.path(), route.who(), {
              rawBody: text,
              headers: { 'content-type': 'application/json' },
            });
            if (![...route.expected, 400].includes(res.status)) throw new Error(wrong(res.status, text));
          }),
          params(Math.ceil(RUNS / 4)),
        );
        // Someone without the role: 403 whatever they sent (roles before bodies).
        const forbidden = route.forbidden;
        if (forbidden) {
          await fc.assert(
            fc.asyncProperty(fc.oneof(refusedBy(route.schema), nearMiss(route.schema)), async (body) => {
              const res = await send(route.method, route.path(), forbidden(), { body });
              if (res.status !== 403) throw new Error(`as a forbidden caller: ${wrong(res.status, body)}`);
            }),
            params(Math.ceil(RUNS / 6)),
          );
        }
      }
    });
  });

  it('answers a valid body the state does not allow with 409, and a stale or bad If-Match with 412 or 400', async () => {
    await unchanged(async () => {
      // The proposal is assigned: these are valid bodies from callers who may act, at the wrong time.
      const tooLate: Array<[keyof typeof actionBodies, () => string, fc.Arbitrary<unknown>]> = [
        ['submit', () => ctx.author, fc.constant({})],
        ['second', () => ctx.delegate, fc.constant({})],
        [
          'review',
          () => ctx.committee,
          fc.record(
            {
              decision: fc.constantFrom('register', 'convert', 'reject'),
              reason: fc.string({ unit: 'grapheme', maxLength: 50 }),
            },
            { requiredKeys: ['decision'] },
          ),
        ],
        [
          'feedback',
          () => ctx.author,
          fc.record(
            {
              rating: fc.constantFrom('satisfied', 'basically_satisfied', 'dissatisfied'),
              comment: fc.string({ unit: 'grapheme', maxLength: 50 }),
            },
            { requiredKeys: ['rating'] },
          ),
        ],
      ];
      for (const [name, who, body] of tooLate) {
        await fc.assert(
          fc.asyncProperty(body, async (b) => {
            const res = await send('POST', `/proposals/${ctx.assignedId}/${name}`, who(), { body: b });
            if (res.status !== 409) throw new Error(`${name}: ${res.status} for ${JSON.stringify(b)}`);
            expect(res.body.state).toBe('assigned');
          }),
          params(Math.ceil(RUNS / 6)),
        );
      }
      // The award is in its nomination window: a valid shortlist or vote is a 409, not a write.
      const ids = fc.array(fc.stringMatching(/^[\w.-]{1,64}$/), { minLength: 1, maxLength: 5 });
      await fc.assert(
        fc.asyncProperty(ids, async (nominationIds) => {
          const listed = await send('POST', `/awards/${ctx.awardId}/shortlist`, ctx.committee, {
            body: { nominationIds },
          });
          if (listed.status !== 409) throw new Error(`shortlist: ${listed.status}`);
          expect(listed.body.phase).toBe('nominating');
          const voted = await send('POST', `/awards/${ctx.awardId}/vote`, ctx.member, {
            body: { nominationId: nominationIds[0] },
          });
          if (voted.status !== 409) throw new Error(`vote: ${voted.status}`);
        }),
        params(Math.ceil(RUNS / 6)),
      );
      // A decided request cannot be decided again: none here, but a pending one with a reject
      // and no reason is a 400 (the reason is required), not a decision.
      const reject = await send('POST', `/care/requests/${ctx.careRequestId}/reject`, ctx.chair, {
        body: {},
      });
      expect(reject.status).toBe(400);
      // Surveys: publishing a published one, closing a draft, answering a draft (hidden: 404) or
      // outside the window; a letter handed to someone who is no delegate of the chair (400).
      const valid = {
        answers: [
          { question: 'q1', rating: 3 },
          { question: 'q2', choice: '甲' },
        ],
      };
      for (const [method, path, who, body, status] of [
        ['POST', `/surveys/${ctx.surveyId}/publish`, ctx.chair, {}, 409],
        ['POST', `/surveys/${ctx.surveyDraftId}/close`, ctx.admin, {}, 409],
        ['POST', `/surveys/${ctx.surveyDraftId}/answers`, ctx.member, valid, 404],
        ['GET', `/surveys/${ctx.surveyId}/results`, ctx.chair, undefined, 409],
        ['POST', `/letters/${ctx.letterId}/delegate`, ctx.chair, { to: 'NOT-A-DELEGATE' }, 400],
      ] as const) {
        const res = await send(method, path, who, body === undefined ? {} : { body });
        expect([method, path, res.status]).toEqual([method, path, status]);
      }
      // If-Match: anything that is not an ETag 400, a stale ETag 412 (checked before the body).
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
            fc
              .nat({ max: 100 })
              .filter((v) => v !== 6)
              .map((v) => `"v${v}"`),
            fc
              .nat({ max: 100 })
              .filter((v) => v !== 6)
              .map((v) => `W/"v${v}"`),
          ),
          async (ifMatch) => {
            // An ETag: "v6", W/"v6", v6 or 6 (the proposal's version is 6). `*` or the current
            // version would let the answer through: those are not sent.
            const version = /^(?:W\/)?"?v?(\d+)"?$/.exec(ifMatch.trim());
            fc.pre(ifMatch.trim() !== '*' && !(version && Number(version[1]) === 6));
            const expected = version ? 412 : 400;
            const res = await send('POST', `/proposals/${ctx.assignedId}/answer`, ctx.department, {
              body: { content: '答复' },
              headers: { 'if-match': ifMatch },
            });
            if (res.status !== expected)
              throw new Error(`If-Match ${ifMatch}: ${res.status}, expected ${expected}`);
          },
        ),
        params(Math.ceil(RUNS / 3)),
      );
    });
  });
});

describe('generated query strings', () => {
  it('answers each query with 200 or 400 naming the failing parameters, 403 before looking at it', async () => {
    await unchanged(async () => {
      for (const route of QUERY_ROUTES) {
        const names = route.schema ? fieldsOf(route.schema) : [];
        const dict = fc.dictionary(
          fc.oneof(fc.constantFrom(...names, 'bogus', 'limit'), fc.string({ maxLength: 8 })),
          queryValue,
          {
            maxKeys: 4,
          },
        );
        await fc.assert(
          fc.asyncProperty(fc.oneof(dict, rawQuery), async (q) => {
            const query = typeof q === 'string' ? q : new URLSearchParams(q).toString();
            // API Gateway takes a request line and headers of 10 KiB at most: stay well within.
            fc.pre(query.length <= 6000);
            const path = `${route.path}${query ? `?${query}` : ''}`;
            const res = await send('GET', path, route.who());
            // What the route sees: the query as the client's URL parser sends it (it trims, it
            // escapes), parsed as the gateway does (repeats joined with commas).
            const sent = new URL(`http://127.0.0.1${path}`).search.slice(1);
            const seen: Record<string, string> = {};
            for (const [k, v] of new URLSearchParams(sent)) seen[k] = k in seen ? `${seen[k]},${v}` : v;
            const expected = !route.schema ? 200 : route.schema.safeParse(seen).success ? 200 : 400;
            // A well-shaped forged cursor passes the schema and may still be refused by the store.
            const cursorSent = seen.cursor !== undefined && seen.cursor !== '';
            const ok = res.status === expected || (expected === 200 && cursorSent && res.status === 400);
            if (!ok)
              throw new Error(`${route.op}?${query.slice(0, 200)}: ${res.status}, expected ${expected}`);
            if (res.status === 400) {
              const fields = (res.body.errors ?? []).map((e: { field: string }) => e.field);
              expect(fields.length).toBeGreaterThan(0);
              // Each names a parameter sent or one the route needs ('' is an unnamed one).
              const named = (f: string) => f in seen || names.includes(f) || (f === '(body)' && '' in seen);
              for (const f of fields) if (!named(f)) throw new Error(`${route.op}?${query}: 400 names ${f}`);
            }
          }),
          params(RUNS),
        );
        const forbidden = route.forbidden;
        if (forbidden && route.schema) {
          const schema = route.schema;
          await fc.assert(
            fc.asyncProperty(
              dict.filter(
                (d) => !schema.safeParse(d).success && new URLSearchParams(d).toString().length <= 6000,
              ),
              async (q) => {
                const res = await send('GET', `${route.path}?${new URLSearchParams(q)}`, forbidden());
                if (res.status !== 403) throw new Error(`${route.op} as a forbidden caller: ${res.status}`);
              },
            ),
            params(Math.ceil(RUNS / 6)),
          );
        }
      }
    });
  });
});

describe('generated path parameters', () => {
  it('answers an id that names nothing with 404 (a department code 400), whatever its length or alphabet', async () => {
    await unchanged(async () => {
      for (const route of PATH_ROUTES) {
        await fc.assert(
          fc.asyncProperty(anyId, async (id) => {
            // A real department code would be mapped (200): only codes that cannot be one.
            fc.pre(
              !(route.op === 'PUT /departments/{code}' && /^[\w.-]{1,32}$/.test(decodeURIComponent(id))),
            );
            // A four-digit year would open a window (200): only ids that cannot be a year.
            fc.pre(!(route.op === 'PUT /mutual-aid/{year}' && /^\d{4}$/.test(decodeURIComponent(id))));
            const body = route.body?.();
            const res = await send(
              route.method,
              route.path(id),
              route.who(),
              body === undefined ? {} : { body },
            );
            if (!route.expected.includes(res.status))
              throw new Error(`${route.op} with id ${id.slice(0, 80)} (${id.length}): ${res.status}`);
          }),
          params(Math.ceil(RUNS / 3)),
        );
      }
    });
  });
});

describe('classic bad input', () => {
  it('answers wrong content types 415 and oversized bodies 413 on every JSON operation, deep JSON 400', async () => {
    await unchanged(async () => {
      const big = JSON.stringify({ title: 't', content: 'x'.repeat(70 * 1024) });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom(
              'text/plain',
              'application/x-www-form-urlencoded',
              'multipart/form-data; boundary=x',
              'application/xml',
              'application/jsonp',
              'text/json',
              'json',
              '',
            ),
            fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
          ),
          async (type) => {
            const json = /^application\/(?:[\w.+-]+\+)?json\b/i.test(type);
            fc.pre(!json);
            for (const route of BODY_ROUTES) {
              const res = await send(route.method, route.path(), route.who(), {
                rawBody: '{}',
                headers: type ? { 'content-type': type } : {},
              });
              // 415 unless the route refuses before it reads the body (a request that is not there).
              if (res.status !== 415) throw new Error(`${route.op} with content-type ${type}: ${res.status}`);
            }
          },
        ),
        params(Math.ceil(RUNS / 10)),
      );
      for (const route of BODY_ROUTES) {
        const res = await send(route.method, route.path(), route.who(), {
          rawBody: big,
          headers: { 'content-type': 'application/json' },
        });
        expect([route.op, res.status]).toEqual([route.op, 413]);
      }
      const huge = 'x'.repeat(11 * 1024 * 1024);
      expect(
        (
          await send('POST', '/proposals', ctx.delegate, {
            rawBody: huge,
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(413);
      for (const depth of [100, 5_000, 50_000]) {
        const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
        const nested = `{"title":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"content":"x"}`;
        for (const rawBody of [deep, nested]) {
          const res = await send('POST', '/proposals', ctx.delegate, {
            rawBody,
            headers: { 'content-type': 'application/json' },
          });
          expect([400, 413]).toContain(res.status);
        }
      }
    });
  });

  const edgeCases = [
    '𠀀𠀁 扩展汉字 😀 outside the BMP',
    'RTL \u202Eevil\u202C mark and \u200F marks',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, meant literally
    '${7*7} {{7*7}} #{7*7}',
    '{"$gt": ""}',
    'NUL\u0000inside',
    'combining é (e\u0301) and ZWJ 👩\u200D💻',
    'BOM\uFEFF inside',
    'line\r\nbreaks\u2028and\u2029separators',
  ];

  it('stores unicode edge cases and injection-looking text verbatim (read back byte-equal)', async () => {
    const text = fc.oneof(
      fc.constantFrom(...edgeCases),
      // Any text with no white space at either end (titles are trimmed as they are stored).
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s !== ''),
    );
    await fc.assert(
      fc.asyncProperty(text, text, async (title, content) => {
        const res = await send('POST', '/proposals', ctx.delegate, {
          body: {
            title,
            content,
            category: [...title].slice(0, 32).join('').trim() || 'x',
            session: 'BADINPUT',
          },
        });
        expect(res.status).toBe(201);
        const read = await send('GET', `/proposals/${res.body.id}`, ctx.delegate);
        expect(read.status).toBe(200);
        expect(Buffer.from(read.body.title)).toEqual(Buffer.from(title));
        expect(Buffer.from(read.body.content)).toEqual(Buffer.from(content));
      }),
      params(Math.ceil(RUNS / 3)),
    );
    // Elsewhere too: a department's name, read back from GET /departments.
    for (const [i, name] of edgeCases.entries()) {
      const code = `BIV${i}`;
      const put = await send('PUT', `/departments/${code}`, ctx.admin, {
        body: { departmentName: name, branch: { code: 'BIVB', name } },
      });
      expect(put.status).toBe(200);
    }
    const departments = await send('GET', '/departments', ctx.admin);
    for (const [i, name] of edgeCases.entries()) {
      const d = departments.body.items.find(
        (x: { departmentCode: string }) => x.departmentCode === `BIV${i}`,
      );
      expect(Buffer.from(d.departmentName)).toEqual(Buffer.from(name));
      expect(Buffer.from(d.branch.name)).toEqual(Buffer.from(name));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Events.

const future = '2026-12-01';
/** A valid detail of each HR event type, aimed at the member (or, for a hire, at a new person). */
const validDetail = (type: HrDetailType, employeeId: string): Record<string, unknown> => {
  const common = { eventId: `hr-${randomUUID()}`, occurredAt: '2026-11-01T10:00:00+08:00', employeeId };
  switch (type) {
    case 'EmployeeHired':
      return { ...hiredEvent(employeeId).detail, ...common };
    case 'EmployeeDeparted':
      return { ...common, departureDate: future, reason: 'deceased' };
    case 'EmployeeRetired':
      return { ...common, retirementDate: future };
    case 'EmployeeTransferred':
      return { ...common, department: { code: 'BITR', name: '转入' }, effectiveDate: future };
    case 'EmployeeUpdated':
      return { ...common, changes: { mobile: '13900000000' } };
  }
};

/** One field of a valid detail dropped, or given a value of the wrong kind; only details HR's schema refuses. */
const malformedHr = (type: HrDetailType, employeeId: string) => {
  const schema = HR_DETAIL_SCHEMAS[type] as unknown as z.ZodMiniType;
  const fields = Object.keys(validDetail(type, employeeId));
  return fc
    .record({
      field: fc.constantFrom(...fields),
      how: fc.constantFrom('drop', 'replace', 'nest'),
      value: anyValue,
    })
    .map(({ field, how, value }) => {
      const detail = validDetail(type, employeeId);
      if (how === 'drop') delete detail[field];
      else if (how === 'replace') detail[field] = value;
      else detail[field] = { [field]: detail[field] };
      return detail;
    })
    .filter((d) => !schema.safeParse(d).success);
};

describe('malformed events', () => {
  it('sends every one to its consumer’s DLQ and changes nothing', async () => {
    const info = runtime();
    const run = randomUUID().slice(0, 8);
    const other = uniqueId('BIE');
    const perType = Math.max(4, Math.ceil(RUNS / 10));
    await unchanged(async () => {
      // HR's five event types, aimed at the member (a hire at someone new): to enrol-member's DLQ.
      const hr: Array<ReturnType<typeof hrEvent>> = [];
      for (const type of Object.keys(HR_DETAIL_SCHEMAS) as HrDetailType[]) {
        const target = type === 'EmployeeHired' ? other : selfEmployee;
        for (const detail of fc.sample(malformedHr(type, target), params(perType)))
          hr.push(hrEvent(type, detail));
      }
      // Domain events a buggy publisher could put on the bus: a member's death (to send-email and
      // open-bereavement) and an enrolment (to send-email), each missing what its consumer needs.
      const domainDetail = (schema: z.ZodMiniType, base: Record<string, unknown>) =>
        fc
          .dictionary(fc.constantFrom(...fieldsOf(schema)), anyValue, { maxKeys: 4 })
          .map((d) => ({ ...d, ...base }))
          .filter((d) => !schema.safeParse(d).success);
      const deaths = fc
        .sample(domainDetail(MemberLeft.schema as never, { reason: 'deceased', mark: run }), params(perType))
        .map((detail) => ({ source: MemberLeft.source, 'detail-type': MemberLeft.detailType, detail }));
      const enrolments = fc
        .sample(domainDetail(MemberEnrolled.schema as never, { mark: run }), params(perType))
        .map((detail) => ({
          source: MemberEnrolled.source,
          'detail-type': MemberEnrolled.detailType,
          detail,
        }));
      const published = await publish([...hr, ...deaths, ...enrolments]);
      expect(published.failed).toEqual([]);

      // Not JSON, JSON of the wrong shape, and an event whose detail is wrong, straight onto
      // every consumer's queue; each carries the run's mark.
      const sqs = new SQSClient(localClientConfig(info as never, info.endpoints.sqs));
      const bodies = fc.sample(
        fc.oneof(
          // Any text the SQS emulator takes (it refuses control characters, surrogates and, unlike
          // SQS, characters beyond the BMP).
          fc
            .string({ unit: 'binary', minLength: 1, maxLength: 80 })
            .map((t) => `mark:${run} ${t.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '?')}`),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ mark: run, payload: v })),
          fc.constant(JSON.stringify({ mark: run, 'detail-type': 'MemberEnrolled', detail: { eventId: 1 } })),
        ),
        params(8),
      );
      const consumers = (Object.keys(queues) as QueueKey[]).filter((k) => k !== 'outboxFailures');
      for (const key of consumers)
        for (const body of bodies)
          await sqs.send(new SendMessageCommand({ QueueUrl: info.queues[key].url, MessageBody: body }));

      await waitIdle(120_000);
      const dead = await listDlq({});
      // HR's events carry no mark that survives every mutation: found by their detail.
      const details = new Set(hr.map((e) => JSON.stringify(e.detail)));
      const hrDead = dead.filter(
        (m) => m.queue === 'hr' && details.has(JSON.stringify((m.body as { detail?: unknown })?.detail)),
      );
      const ours = dead.filter((m) => JSON.stringify(m.body).includes(run));
      const fromBus = (m: { body: unknown }) =>
        typeof m.body === 'object' && m.body !== null && 'source' in m.body;
      const domainDead = (q: QueueKey) => ours.filter((m) => m.queue === q && fromBus(m)).length;
      const rawDead = ours.filter((m) => !fromBus(m));
      recordFigure({
        id: 'bad-input.events',
        section: 'bad input',
        what: `malformed events on the bus (HR's five types: a field dropped, of the wrong kind or nested; MemberLeft and MemberEnrolled missing what their consumers need) and malformed messages straight onto every consumer's queue (${consumers.join(', ')})`,
        counts: {
          'HR events': hr.length,
          'in the hr DLQ': hrDead.length,
          'domain events': deaths.length + enrolments.length,
          'in the notify DLQ': domainDead('notify'),
          'in the care-events DLQ': domainDead('careEvents'),
          'queue messages': consumers.length * bodies.length,
          'in their DLQs': rawDead.length,
          'items written': 0,
        },
        command: COMMAND,
      });
      expect(hrDead.length).toBe(hr.length);
      // A death goes to both of its consumers (send-email, open-bereavement); an enrolment to send-email.
      expect(domainDead('careEvents')).toBe(deaths.length);
      expect(domainDead('notify')).toBe(deaths.length + enrolments.length);
      expect(rawDead.length).toBe(consumers.length * bodies.length);
      expect(await memberByEmployee(other)).toBeUndefined();
    });
  });
});

it('records the figure: no 5xx, no partial write', () => {
  recordFigure({
    id: 'bad-input.http',
    section: 'bad input',
    what: `generated malformed bodies, query strings, path parameters and headers (fast-check, from the operations' own zod schemas) on all ${operations().size} API operations, also as callers without the role; 409s and 412s; wrong content types, 64 KiB and 11 MiB bodies, JSON nested 50,000 deep; unicode and injection-looking text stored verbatim`,
    counts: {
      requests: counted.requests,
      '5xx': counted.fiveHundreds,
      'partial writes': counted.partialWrites,
    },
    command: COMMAND,
  });
  expect(fiveHundreds).toEqual([]);
  expect(counted.partialWrites).toBe(0);
});
