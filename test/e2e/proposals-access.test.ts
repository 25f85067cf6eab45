/**
 * Every proposals route × every role: allowed (anything but 401/403) or 403, and 401 without a
 * token. Allowed callers of an action send a body that fails validation, so the proposal does not
 * change while the matrix runs: an allowed role gets 400 (its role passed), a forbidden one 403.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, token, uniqueId } from './support.ts';

type Who =
  | 'none'
  | 'member'
  | 'author'
  | 'delegate'
  | 'committee'
  | 'deptLead'
  | 'deptOther'
  | 'chair'
  | 'admin';
const ALL: Who[] = [
  'none',
  'member',
  'author',
  'delegate',
  'committee',
  'deptLead',
  'deptOther',
  'chair',
  'admin',
];

let tokens: Record<Exclude<Who, 'none'>, string>;
let id: string;
let session: string;

beforeAll(async () => {
  const dept = uniqueId('ACC');
  session = uniqueId('S');
  const author = uniqueId('AU');
  tokens = {
    member: await token(uniqueId('M'), 'member'),
    author: await token(author, 'delegate'),
    delegate: await token(uniqueId('DL'), 'delegate'),
    committee: await token(uniqueId('CO'), 'committee'),
    deptLead: await token(uniqueId('DP'), 'department', { department: dept }),
    deptOther: await token(uniqueId('DO'), 'department', { department: `${dept}X` }),
    chair: await token(uniqueId('CH'), 'chair'),
    admin: await token(uniqueId('AD'), 'admin'),
  };
  const d2 = await token(uniqueId('D2'), 'delegate');
  const created = await api('POST', '/proposals', {
    token: tokens.author,
    body: { title: '矩阵', content: '内容', session },
  });
  id = created.body.id;
  const step = async (who: string, action: string, body: unknown = {}) =>
    expect((await api('POST', `/proposals/${id}/${action}`, { token: who, body })).status).toBe(200);
  await step(tokens.author, 'submit');
  await step(tokens.delegate, 'second');
  await step(d2, 'second');
  await step(tokens.committee, 'review', { decision: 'register' });
  await step(tokens.committee, 'assign', {
    department: dept,
    dueDate: new Date(Date.now() + 864e6).toISOString().slice(0, 10),
  });
});

const call = (who: Who, method: string, path: string, body?: unknown) =>
  api(method, path, {
    ...(who === 'none' ? {} : { token: tokens[who] }),
    ...(body !== undefined ? { body } : {}),
  });

const routes: Array<{ name: string; method: string; path: () => string; body?: unknown; allowed: Who[] }> = [
  {
    name: 'POST /proposals',
    method: 'POST',
    path: () => '/proposals',
    body: { title: '' },
    allowed: ['author', 'delegate'],
  },
  {
    name: 'GET /proposals',
    method: 'GET',
    path: () => `/proposals?session=${session}`,
    allowed: ['author', 'delegate', 'committee', 'deptLead', 'deptOther', 'chair', 'admin'],
  },
  {
    name: 'GET /proposals/{id}',
    method: 'GET',
    path: () => `/proposals/${id}`,
    allowed: ['author', 'delegate', 'committee', 'deptLead', 'chair', 'admin'],
  },
  {
    name: 'GET /proposals/{id}/history',
    method: 'GET',
    path: () => `/proposals/${id}/history`,
    allowed: ['author', 'delegate', 'committee', 'deptLead', 'chair', 'admin'],
  },
  {
    name: 'submit',
    method: 'POST',
    path: () => `/proposals/${id}/submit`,
    body: { bogus: 1 },
    allowed: ['author'],
  },
  {
    name: 'second',
    method: 'POST',
    path: () => `/proposals/${id}/second`,
    body: { bogus: 1 },
    allowed: ['delegate'],
  },
  {
    name: 'withdraw',
    method: 'POST',
    path: () => `/proposals/${id}/withdraw`,
    body: { bogus: 1 },
    allowed: ['author'],
  },
  {
    name: 'review',
    method: 'POST',
    path: () => `/proposals/${id}/review`,
    body: { bogus: 1 },
    allowed: ['committee'],
  },
  {
    name: 'assign',
    method: 'POST',
    path: () => `/proposals/${id}/assign`,
    body: { bogus: 1 },
    allowed: ['committee', 'chair'],
  },
  {
    name: 'answer',
    method: 'POST',
    path: () => `/proposals/${id}/answer`,
    body: { bogus: 1 },
    allowed: ['deptLead'],
  },
  {
    name: 'feedback',
    method: 'POST',
    path: () => `/proposals/${id}/feedback`,
    body: { bogus: 1 },
    allowed: ['author'],
  },
  {
    name: 'GET /reports/proposals',
    method: 'GET',
    path: () => `/reports/proposals?session=${session}`,
    allowed: ['committee', 'chair', 'admin'],
  },
  {
    name: 'GET /proposals/export.csv',
    method: 'GET',
    path: () => `/proposals/export.csv?session=${session}`,
    allowed: ['committee', 'chair', 'admin'],
  },
];

describe('proposals access matrix', () => {
  for (const route of routes) {
    it(`${route.name}: ${route.allowed.join(', ')} allowed; everyone else 403; no token 401`, async () => {
      const outcomes = await Promise.all(
        ALL.map(
          async (who) => [who, (await call(who, route.method, route.path(), route.body)).status] as const,
        ),
      );
      for (const [who, status] of outcomes) {
        const expected =
          who === 'none' ? 'unauthorised' : route.allowed.includes(who) ? 'allowed' : 'forbidden';
        const got =
          status === 401
            ? 'unauthorised'
            : status === 403
              ? 'forbidden'
              : status < 500
                ? 'allowed'
                : `error ${status}`;
        expect({ who, got }).toEqual({ who, got: expected });
      }
    });
  }

  it('left the proposal as it was (the allowed callers only ever sent invalid bodies)', async () => {
    const p = await api('GET', `/proposals/${id}`, { token: tokens.chair });
    expect(p.body).toMatchObject({ state: 'assigned', version: 6 });
  });
});
