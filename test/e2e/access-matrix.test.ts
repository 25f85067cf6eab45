/**
 * The access matrix: every operation of the HTTP API (shared/http/api-operations.ts) × every
 * caller (each role, with its department or branch claim, the owner of the object and someone
 * else, and no token), asserted through the gateway. "Allowed" means the caller got past
 * authorisation (anything but 401 or 403, and never a 5xx); "forbidden" is 403; no token is 401
 * on every route but the public ones; "hidden" is 404 (a draft exists only for its author).
 *
 * Requests that would change something carry a body that fails validation, so an allowed caller
 * gets 400 (its role passed; roles are checked before bodies) and nothing changes while the matrix
 * runs: the last test checks that the member and the proposal it aimed at are as they were.
 *
 * A new operation without a row fails the run ("has a row for every operation"): add its row.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { functionNames, functionSpec, type Trigger } from '../../infra/topology.ts';
import { apiOperations } from '../../shared/http/api-operations.ts';
import { recordFigure } from '../support/figures.ts';
import { api, hiredEvent, memberByEmployee, publish, token, uniqueId, waitIdle } from './support.ts';

/** Who calls. `member` is the member the members routes aim at; `author` wrote the proposal. */
type Who =
  | 'none'
  | 'member'
  | 'otherMember'
  | 'author'
  | 'delegate'
  | 'committee'
  | 'department'
  | 'departmentOther'
  | 'officer'
  | 'officerOther'
  | 'chair'
  | 'admin'
  | 'auditor';
type Caller = Exclude<Who, 'none'>;

const CALLERS: Caller[] = [
  'member',
  'otherMember',
  'author',
  'delegate',
  'committee',
  'department',
  'departmentOther',
  'officer',
  'officerOther',
  'chair',
  'admin',
  'auditor',
];
const EVERYONE: Who[] = ['none', ...CALLERS];
const OFFICERS: Caller[] = ['officer', 'officerOther', 'chair', 'admin'];
const PROPOSAL_READERS: Caller[] = ['author', 'delegate', 'committee', 'department', 'chair', 'admin'];
const PROPOSAL_MANAGERS: Caller[] = ['committee', 'chair', 'admin'];

interface Ctx {
  /** The member the members routes aim at (the `member` caller), in `branch`. */
  memberId: string;
  branch: string;
  /** The lead department of `proposalId`, the `department` caller's claim. */
  department: string;
  /** A proposal in state assigned, filed by `author`, assigned to `department`. */
  proposalId: string;
  /** A draft of `author`'s. */
  draftId: string;
  session: string;
  /** A letter to the chair written by `member`, and a chair-only one. */
  letterId: string;
  chairOnlyLetterId: string;
  /** A survey still a draft, one published and open, and a suggestion by `member`. */
  surveyDraftId: string;
  surveyId: string;
  suggestionId: string;
  /** An activity of `branch` (the officer's), open for registration; `member` and `otherMember` are in it. */
  activityId: string;
  /** An award in its nomination window (made by the admin). */
  awardId: string;
}

interface Row {
  /** The operation as in api-operations.ts: "POST /proposals/{id}/submit". */
  op: string;
  /** When one operation has several rows: what this one adds (another object, a filter). */
  variant?: string;
  /** Who gets past authorisation; every other caller gets 403 (or 404 when `hidden`). */
  allowed: Who[];
  /** Callers for whom the object does not exist (404), e.g. someone else's draft. */
  hidden?: Caller[];
  /** Routes without a JWT: no token is not a 401. */
  public?: boolean;
  request: (ctx: Ctx) => { path: string; body?: unknown };
}

/** An action body that fails every action's schema (all are strict objects). */
const INVALID = { bogus: 1 };
const proposalAction = (action: string, allowed: Caller[]): Row => ({
  op: `POST /proposals/{id}/${action}`,
  allowed,
  request: (c) => ({ path: `/proposals/${c.proposalId}/${action}`, body: INVALID }),
});

const ROWS: Row[] = [
  { op: 'GET /health', allowed: EVERYONE, public: true, request: () => ({ path: '/health' }) },
  { op: 'GET /openapi.json', allowed: EVERYONE, public: true, request: () => ({ path: '/openapi.json' }) },
  { op: 'GET /members/me', allowed: CALLERS, request: () => ({ path: '/members/me' }) },
  { op: 'GET /members', allowed: OFFICERS, request: () => ({ path: '/members?limit=1' }) },
  {
    op: 'GET /members',
    variant: "another branch's members",
    allowed: ['officer', 'chair', 'admin'],
    request: (c) => ({ path: `/members?limit=1&branch=${c.branch}` }),
  },
  { op: 'POST /members', allowed: OFFICERS, request: () => ({ path: '/members', body: {} }) },
  {
    op: 'GET /members/{id}',
    allowed: ['member', 'officer', 'chair', 'admin'],
    request: (c) => ({ path: `/members/${c.memberId}` }),
  },
  {
    op: 'POST /members/{id}/leave',
    allowed: ['member', 'officer', 'chair', 'admin'],
    request: (c) => ({ path: `/members/${c.memberId}/leave`, body: { reason: 42 } }),
  },
  {
    op: 'GET /invitations',
    allowed: EVERYONE,
    public: true,
    request: () => ({ path: '/invitations?member=x&token=y' }),
  },
  {
    op: 'POST /invitations/{id}/accept',
    allowed: EVERYONE,
    public: true,
    request: () => ({ path: '/invitations/NOSUCH/accept', body: { token: 'x' } }),
  },
  { op: 'GET /departments', allowed: OFFICERS, request: () => ({ path: '/departments' }) },
  {
    op: 'PUT /departments/{code}',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/departments/MATRIX', body: {} }),
  },
  {
    op: 'POST /proposals',
    allowed: ['author', 'delegate'],
    request: () => ({ path: '/proposals', body: { title: '' } }),
  },
  {
    op: 'GET /proposals',
    allowed: PROPOSAL_READERS.concat('departmentOther'),
    request: (c) => ({ path: `/proposals?session=${c.session}` }),
  },
  {
    op: 'GET /proposals',
    variant: "a department's proposals",
    allowed: PROPOSAL_READERS,
    request: (c) => ({ path: `/proposals?department=${c.department}` }),
  },
  {
    op: 'GET /proposals/export.csv',
    allowed: PROPOSAL_MANAGERS,
    request: (c) => ({ path: `/proposals/export.csv?session=${c.session}` }),
  },
  {
    op: 'GET /proposals/{id}',
    allowed: PROPOSAL_READERS,
    request: (c) => ({ path: `/proposals/${c.proposalId}` }),
  },
  {
    op: 'GET /proposals/{id}',
    variant: 'a draft',
    allowed: ['author'],
    hidden: CALLERS.filter((w) => w !== 'author'),
    request: (c) => ({ path: `/proposals/${c.draftId}` }),
  },
  {
    op: 'PATCH /proposals/{id}',
    variant: 'no longer a draft (409 for its author)',
    allowed: ['author'],
    request: (c) => ({ path: `/proposals/${c.proposalId}`, body: INVALID }),
  },
  {
    op: 'PATCH /proposals/{id}',
    variant: 'a draft',
    allowed: ['author'],
    hidden: CALLERS.filter((w) => w !== 'author'),
    request: (c) => ({ path: `/proposals/${c.draftId}`, body: INVALID }),
  },
  {
    op: 'GET /proposals/{id}/history',
    allowed: PROPOSAL_READERS,
    request: (c) => ({ path: `/proposals/${c.proposalId}/history` }),
  },
  {
    op: 'GET /proposals/{id}/history',
    variant: 'a draft',
    allowed: ['author'],
    hidden: CALLERS.filter((w) => w !== 'author'),
    request: (c) => ({ path: `/proposals/${c.draftId}/history` }),
  },
  proposalAction('submit', ['author']),
  proposalAction('second', ['delegate']),
  proposalAction('withdraw', ['author']),
  proposalAction('review', ['committee']),
  proposalAction('assign', ['committee', 'chair']),
  proposalAction('answer', ['department']),
  proposalAction('feedback', ['author']),
  {
    op: 'GET /reports/proposals',
    allowed: PROPOSAL_MANAGERS,
    request: (c) => ({ path: `/reports/proposals?session=${c.session}` }),
  },
  { op: 'POST /care/requests', allowed: OFFICERS, request: () => ({ path: '/care/requests', body: {} }) },
  { op: 'GET /care/requests', allowed: OFFICERS, request: () => ({ path: '/care/requests' }) },
  {
    op: 'POST /care/requests/{id}/approve',
    allowed: ['chair'],
    request: () => ({ path: '/care/requests/NOSUCH/approve', body: {} }),
  },
  {
    op: 'POST /care/requests/{id}/reject',
    allowed: ['chair'],
    request: () => ({ path: '/care/requests/NOSUCH/reject', body: {} }),
  },
  {
    op: 'GET /care/ledger',
    allowed: [...OFFICERS, 'auditor'],
    request: () => ({ path: '/care/ledger?year=2026' }),
  },
  {
    op: 'GET /care/ledger',
    variant: "another branch's ledger",
    allowed: ['officer', 'chair', 'admin', 'auditor'],
    request: (c) => ({ path: `/care/ledger?year=2026&branch=${c.branch}` }),
  },
  {
    op: 'GET /care/ledger.csv',
    allowed: [...OFFICERS, 'auditor'],
    request: () => ({ path: '/care/ledger.csv?year=2026' }),
  },
  {
    op: 'GET /care/ledger.csv',
    variant: "another branch's ledger",
    allowed: ['officer', 'chair', 'admin', 'auditor'],
    request: (c) => ({ path: `/care/ledger.csv?year=2026&branch=${c.branch}` }),
  },
  // Care settings: the chair and admins only. Writes carry INVALID (400), the delete a key never added (404).
  { op: 'GET /care/policy', allowed: ['chair', 'admin'], request: () => ({ path: '/care/policy' }) },
  {
    op: 'PUT /care/policy',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/care/policy', body: INVALID }),
  },
  { op: 'GET /care/occasions', allowed: ['chair', 'admin'], request: () => ({ path: '/care/occasions' }) },
  {
    op: 'POST /care/occasions',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/care/occasions', body: INVALID }),
  },
  {
    op: 'DELETE /care/occasions/{occasion}',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/care/occasions/matrix_never_added' }),
  },
  {
    op: 'GET /care/workdays/{year}',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/care/workdays/2031' }),
  },
  {
    op: 'PUT /care/workdays/{year}',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/care/workdays/2031', body: INVALID }),
  },
  // The chair's mailbox: members write (a member record, not a role claim); the writer and the
  // chair see a letter (no caller here is a delegate of the chair); others do not know it exists.
  {
    op: 'POST /letters',
    allowed: ['member', 'otherMember'],
    request: () => ({ path: '/letters', body: INVALID }),
  },
  { op: 'GET /letters', allowed: CALLERS, request: () => ({ path: '/letters?limit=1' }) },
  {
    op: 'GET /letters/settings',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/letters/settings' }),
  },
  {
    op: 'PUT /letters/settings',
    allowed: ['chair'],
    request: () => ({ path: '/letters/settings', body: INVALID }),
  },
  {
    op: 'GET /letters/{id}',
    allowed: ['member', 'chair'],
    hidden: CALLERS.filter((w) => w !== 'member' && w !== 'chair'),
    request: (c) => ({ path: `/letters/${c.letterId}` }),
  },
  {
    op: 'GET /letters/{id}',
    variant: 'a chair-only letter',
    allowed: ['member', 'chair'],
    hidden: CALLERS.filter((w) => w !== 'member' && w !== 'chair'),
    request: (c) => ({ path: `/letters/${c.chairOnlyLetterId}` }),
  },
  {
    op: 'POST /letters/{id}/delegate',
    allowed: ['chair'],
    request: (c) => ({ path: `/letters/${c.letterId}/delegate`, body: INVALID }),
  },
  {
    op: 'POST /letters/{id}/answer',
    allowed: ['chair'],
    hidden: CALLERS.filter((w) => w !== 'member' && w !== 'chair'),
    request: (c) => ({ path: `/letters/${c.letterId}/answer`, body: INVALID }),
  },
  {
    op: 'POST /letters/{id}/close',
    allowed: ['member', 'chair'],
    hidden: CALLERS.filter((w) => w !== 'member' && w !== 'chair'),
    request: (c) => ({ path: `/letters/${c.letterId}/close`, body: INVALID }),
  },
  {
    op: 'GET /reports/letters',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/reports/letters?year=2026' }),
  },
  // The survey (会员评家): the chair and admins manage it; members (a member record) answer it.
  { op: 'POST /surveys', allowed: ['chair', 'admin'], request: () => ({ path: '/surveys', body: INVALID }) },
  { op: 'GET /surveys', allowed: CALLERS, request: () => ({ path: '/surveys' }) },
  { op: 'GET /surveys/{id}', allowed: CALLERS, request: (c) => ({ path: `/surveys/${c.surveyId}` }) },
  {
    op: 'GET /surveys/{id}',
    variant: 'a draft',
    allowed: ['chair', 'admin'],
    hidden: CALLERS.filter((w) => w !== 'chair' && w !== 'admin'),
    request: (c) => ({ path: `/surveys/${c.surveyDraftId}` }),
  },
  {
    op: 'POST /surveys/{id}/publish',
    allowed: ['chair', 'admin'],
    request: (c) => ({ path: `/surveys/${c.surveyDraftId}/publish`, body: INVALID }),
  },
  {
    op: 'POST /surveys/{id}/close',
    allowed: ['chair', 'admin'],
    request: (c) => ({ path: `/surveys/${c.surveyId}/close`, body: INVALID }),
  },
  {
    op: 'POST /surveys/{id}/answers',
    allowed: ['member', 'otherMember'],
    request: (c) => ({ path: `/surveys/${c.surveyId}/answers`, body: INVALID }),
  },
  // Still open: allowed callers get 409 (results once it is closed).
  {
    op: 'GET /surveys/{id}/results',
    allowed: OFFICERS,
    request: (c) => ({ path: `/surveys/${c.surveyId}/results` }),
  },
  {
    op: 'GET /surveys/{id}/results',
    variant: "another branch's results",
    allowed: ['officer', 'chair', 'admin'],
    request: (c) => ({ path: `/surveys/${c.surveyId}/results?branch=${c.branch}` }),
  },
  // Suggestions (建言献策): officers and delegates read them all, a delegate converts one.
  {
    op: 'POST /suggestions',
    allowed: ['member', 'otherMember'],
    request: () => ({ path: '/suggestions', body: INVALID }),
  },
  { op: 'GET /suggestions', allowed: CALLERS, request: () => ({ path: '/suggestions?limit=1' }) },
  {
    op: 'GET /suggestions/{id}',
    allowed: ['member', 'author', 'delegate', ...OFFICERS],
    hidden: ['otherMember', 'committee', 'department', 'departmentOther', 'auditor'],
    request: (c) => ({ path: `/suggestions/${c.suggestionId}` }),
  },
  {
    op: 'POST /suggestions/{id}/convert',
    allowed: ['author', 'delegate'],
    request: (c) => ({ path: `/suggestions/${c.suggestionId}/convert`, body: INVALID }),
  },
  // Activities: officers create; members of the branch register and cancel (INVALID: 400, nothing
  // changes); the organisers (the branch's officer, chair, admin) see the participants.
  { op: 'POST /activities', allowed: OFFICERS, request: () => ({ path: '/activities', body: INVALID }) },
  { op: 'GET /activities', allowed: CALLERS, request: () => ({ path: '/activities' }) },
  { op: 'GET /activities/{id}', allowed: CALLERS, request: (c) => ({ path: `/activities/${c.activityId}` }) },
  {
    op: 'POST /activities/{id}/register',
    allowed: ['member', 'otherMember'],
    request: (c) => ({ path: `/activities/${c.activityId}/register`, body: INVALID }),
  },
  {
    op: 'POST /activities/{id}/cancel',
    allowed: ['member', 'otherMember'],
    request: (c) => ({ path: `/activities/${c.activityId}/cancel`, body: INVALID }),
  },
  {
    op: 'GET /activities/{id}/participants',
    allowed: ['officer', 'chair', 'admin'],
    request: (c) => ({ path: `/activities/${c.activityId}/participants` }),
  },
  // Mutual aid: the chair and admins open the window and read the insurer's list; members choose.
  // The year 2033 has an open window (made in beforeAll); INVALID bodies change nothing.
  {
    op: 'PUT /mutual-aid/{year}',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/mutual-aid/2033', body: INVALID }),
  },
  { op: 'GET /mutual-aid/{year}', allowed: CALLERS, request: () => ({ path: '/mutual-aid/2033' }) },
  {
    op: 'POST /mutual-aid/{year}/choice',
    allowed: ['member', 'otherMember'],
    request: () => ({ path: '/mutual-aid/2033/choice', body: INVALID }),
  },
  {
    op: 'GET /mutual-aid/{year}/enrolled.csv',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/mutual-aid/2033/enrolled.csv' }),
  },
  // Awards: the chair and admins create; officers nominate (their branch), the committee (or the
  // chair) shortlists, members vote; results for everyone once voting closes (409 before: allowed).
  { op: 'POST /awards', allowed: ['chair', 'admin'], request: () => ({ path: '/awards', body: INVALID }) },
  { op: 'GET /awards', allowed: CALLERS, request: () => ({ path: '/awards' }) },
  { op: 'GET /awards/{id}', allowed: CALLERS, request: (c) => ({ path: `/awards/${c.awardId}` }) },
  {
    op: 'POST /awards/{id}/nominations',
    allowed: OFFICERS,
    request: (c) => ({ path: `/awards/${c.awardId}/nominations`, body: INVALID }),
  },
  {
    op: 'GET /awards/{id}/nominations',
    allowed: ['committee', ...OFFICERS],
    request: (c) => ({ path: `/awards/${c.awardId}/nominations` }),
  },
  {
    op: 'POST /awards/{id}/shortlist',
    allowed: ['committee', 'chair'],
    request: (c) => ({ path: `/awards/${c.awardId}/shortlist`, body: INVALID }),
  },
  {
    op: 'POST /awards/{id}/vote',
    allowed: ['member', 'otherMember'],
    request: (c) => ({ path: `/awards/${c.awardId}/vote`, body: INVALID }),
  },
  {
    op: 'GET /awards/{id}/results',
    allowed: CALLERS,
    request: (c) => ({ path: `/awards/${c.awardId}/results` }),
  },
];

/** A draft survey, a published open one, and a suggestion by `member`. */
const voiceObjects = async (tokens: Record<Caller, string>) => {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const draft = async () => {
    const res = await api('POST', '/surveys', {
      token: tokens.chair,
      body: {
        title: '矩阵',
        questions: [{ kind: 'rating', prompt: '满意度' }],
        opensOn: today,
        closesOn: new Date(Date.now() + 864e6).toISOString().slice(0, 10),
      },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const surveyDraftId = await draft();
  const surveyId = await draft();
  expect((await api('POST', `/surveys/${surveyId}/publish`, { token: tokens.chair, body: {} })).status).toBe(
    200,
  );
  const suggestion = await api('POST', '/suggestions', {
    token: tokens.member,
    body: { title: '矩阵', text: '内容' },
  });
  expect(suggestion.status).toBe(201);
  return { surveyDraftId, surveyId, suggestionId: suggestion.body.id as string };
};

const operations = () => apiOperations.map((o) => `${o.method.toUpperCase()} ${o.path}`);

/** A topology route such as "POST /proposals/{id}/{action}" as a pattern over operations. */
const routePattern = (route: string) =>
  new RegExp(`^${route.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '\\{?[^/]+\\}?')}$`);

it('has a row for every operation of the API, and none for an operation that does not exist', () => {
  const rows = [...new Set(ROWS.map((r) => r.op))].sort();
  expect(rows).toEqual([...new Set(operations())].sort());
});

it('covers every route the topology wires (a route missing from api-operations.ts fails here)', () => {
  const routes = functionNames.flatMap((name) =>
    (functionSpec(name).triggers as readonly Trigger[]).flatMap((t) =>
      t.kind === 'route' ? [`${t.method} ${t.path}`] : [],
    ),
  );
  const uncovered = routes.filter((r) => !ROWS.some((row) => routePattern(r).test(row.op)));
  expect(uncovered).toEqual([]);
});

describe('every operation × every caller', () => {
  let tokens: Record<Caller, string>;
  let ctx: Ctx;

  beforeAll(async () => {
    const dept = uniqueId('MXD');
    const branch = uniqueId('MXB');
    const lead = uniqueId('MXL');
    const session = uniqueId('MXS');
    const admin = await token(uniqueId('AD'), 'admin');
    expect(
      (
        await api('PUT', `/departments/${dept}`, {
          token: admin,
          body: { departmentName: '矩阵学院', branch: { code: branch, name: '矩阵分工会' } },
        })
      ).status,
    ).toBe(200);
    const self = uniqueId('MXS');
    const other = uniqueId('MXO');
    await publish([
      hiredEvent(self, { department: { code: dept, name: '矩阵学院' } }),
      hiredEvent(other, { department: { code: dept, name: '矩阵学院' } }),
    ]);
    await waitIdle();
    const author = uniqueId('MXA');
    tokens = {
      member: await token(self, 'member'),
      otherMember: await token(other, 'member'),
      author: await token(author, 'delegate'),
      delegate: await token(uniqueId('MXDL'), 'delegate'),
      committee: await token(uniqueId('MXC'), 'committee'),
      department: await token(uniqueId('MXDP'), 'department', { department: lead }),
      departmentOther: await token(uniqueId('MXDO'), 'department', { department: `${lead}X` }),
      officer: await token(uniqueId('MXOF'), 'officer', { branch }),
      officerOther: await token(uniqueId('MXOO'), 'officer', { branch: `${branch}X` }),
      chair: await token(uniqueId('MXCH'), 'chair'),
      admin,
      auditor: await token(uniqueId('MXAU'), 'auditor'),
    };
    // A proposal taken to "assigned" (every action has someone allowed), and a draft.
    const file = async () => {
      const res = await api('POST', '/proposals', {
        token: tokens.author,
        body: { title: '矩阵', content: '内容', session },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const proposalId = await file();
    const draftId = await file();
    const step = async (who: string, action: string, body: unknown = {}) =>
      expect((await api('POST', `/proposals/${proposalId}/${action}`, { token: who, body })).status).toBe(
        200,
      );
    await step(tokens.author, 'submit');
    await step(tokens.delegate, 'second');
    await step(await token(uniqueId('MXD2'), 'delegate'), 'second');
    await step(tokens.committee, 'review', { decision: 'register' });
    await step(tokens.committee, 'assign', {
      department: lead,
      dueDate: new Date(Date.now() + 864e6).toISOString().slice(0, 10),
    });
    const member = await memberByEmployee(self);
    const letter = async (chairOnly: boolean) => {
      const res = await api('POST', '/letters', {
        token: tokens.member,
        body: { subject: '矩阵', text: '内容', category: '其他', chairOnly },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const activity = await api('POST', '/activities', {
      token: tokens.officer,
      body: {
        title: '矩阵活动',
        kind: 'club',
        date: '2099-01-01',
        place: '矩阵',
        capacity: 10,
        opensOn: today,
        closesOn: '2098-12-31',
        eligibility: 'members',
      },
    });
    expect(activity.status).toBe(201);
    const window = await api('PUT', '/mutual-aid/2033', {
      token: admin,
      body: { opensOn: today, closesOn: '2098-12-31', feeYuan: '10' },
    });
    expect(window.status).toBe(200);
    const award = await api('POST', '/awards', {
      token: admin,
      body: {
        title: '矩阵评选',
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
      memberId: member!.memberId as string,
      branch,
      department: lead,
      proposalId,
      draftId,
      session,
      letterId: await letter(false),
      chairOnlyLetterId: await letter(true),
      ...(await voiceObjects(tokens)),
      activityId: activity.body.id,
      awardId: award.body.id,
    };
  });

  it('lets exactly the allowed callers past authorisation, 403 the others, 401 without a token', async () => {
    const cases = ROWS.flatMap((row) => EVERYONE.map((who) => ({ row, who })));
    const mismatches: string[] = [];
    // Four at a time: quick, and the order of the answers does not matter.
    for (let i = 0; i < cases.length; i += 4) {
      await Promise.all(
        cases.slice(i, i + 4).map(async ({ row, who }) => {
          const [method] = row.op.split(' ') as [string];
          const { path, body } = row.request(ctx);
          const res = await api(method, path, {
            ...(who === 'none' ? {} : { token: tokens[who] }),
            ...(body !== undefined ? { body } : {}),
          });
          const expected =
            who === 'none' && !row.public
              ? '401'
              : row.allowed.includes(who)
                ? 'allowed'
                : who !== 'none' && row.hidden?.includes(who)
                  ? '404'
                  : '403';
          const ok =
            expected === 'allowed'
              ? res.status !== 401 && res.status !== 403 && res.status < 500
              : res.status === Number(expected);
          if (!ok)
            mismatches.push(
              `${row.op}${row.variant ? ` (${row.variant})` : ''} as ${who}: ${res.status}, expected ${expected}`,
            );
        }),
      );
    }
    recordFigure({
      id: 'access.matrix',
      section: 'access',
      what: `every API operation (${new Set(operations()).size}, ${ROWS.length} rows with own/other object and filter variants) × ${CALLERS.length} callers (each role with its department or branch claim, owner and other) and no token`,
      counts: { cases: cases.length, mismatches: mismatches.length },
      command: 'npx vitest run test/e2e/access-matrix.test.ts',
    });
    expect(mismatches).toEqual([]);
  });

  it('changed nothing: the member is still a member, the proposal and the draft as they were', async () => {
    const me = await api('GET', '/members/me', { token: tokens.member });
    expect(me.status).toBe(200);
    expect(me.body.status).toBe('active');
    const p = await api('GET', `/proposals/${ctx.proposalId}`, { token: tokens.chair });
    expect(p.body).toMatchObject({ state: 'assigned', version: 6 });
    const d = await api('GET', `/proposals/${ctx.draftId}`, { token: tokens.author });
    expect(d.body).toMatchObject({ state: 'draft', version: 1 });
    const l = await api('GET', `/letters/${ctx.letterId}`, { token: tokens.chair });
    expect(l.body).toMatchObject({ state: 'open', version: 1, delegatedTo: null, answers: [] });
    const draft = await api('GET', `/surveys/${ctx.surveyDraftId}`, { token: tokens.chair });
    expect(draft.body).toMatchObject({ state: 'draft', version: 1 });
    const survey = await api('GET', `/surveys/${ctx.surveyId}`, { token: tokens.member });
    expect(survey.body).toMatchObject({ state: 'published', version: 2, answeredByMe: false });
    const suggestion = await api('GET', `/suggestions/${ctx.suggestionId}`, { token: tokens.member });
    expect(suggestion.body).toMatchObject({ proposalId: null });
    const a = await api('GET', `/activities/${ctx.activityId}`, { token: tokens.member });
    expect(a.body).toMatchObject({ taken: 0, waiting: 0, mine: null });
    const w = await api('GET', '/mutual-aid/2033', { token: tokens.member });
    expect(w.body).toMatchObject({ feeYuan: '10.00', mine: null });
    const n = await api('GET', `/awards/${ctx.awardId}/nominations`, { token: tokens.chair });
    expect(n.body.items).toEqual([]);
  });
});
