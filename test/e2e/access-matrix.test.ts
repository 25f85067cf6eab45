/**
 * The access matrix: every route × every role, own and other object where it matters, asserted
 * through the gateway. "Allowed" means the caller got past authorisation (anything but 401 or
 * 403); requests that would change something carry a body that fails validation, so an allowed
 * caller gets 400 and nothing changes while the matrix runs. A route added to the topology without
 * a row here (or in proposals-access.test.ts, which holds the proposals routes) fails the run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { functionNames, functionSpec, type Trigger } from '../../infra/topology.ts';
import { recordFigure } from '../support/figures.ts';
import { api, hiredEvent, memberByEmployee, publish, token, uniqueId, waitIdle } from './support.ts';

type Who =
  | 'none'
  | 'self'
  | 'otherMember'
  | 'delegate'
  | 'committee'
  | 'department'
  | 'officer'
  | 'officerOther'
  | 'chair'
  | 'admin'
  | 'auditor';
const EVERYONE: Who[] = [
  'none',
  'self',
  'otherMember',
  'delegate',
  'committee',
  'department',
  'officer',
  'officerOther',
  'chair',
  'admin',
  'auditor',
];
const SIGNED_IN = EVERYONE.filter((w) => w !== 'none');
const OFFICERS: Who[] = ['officer', 'officerOther', 'chair', 'admin'];

interface Ctx {
  selfMemberId: string;
  branch: string;
}

interface Row {
  route: string;
  /** Who gets past authorisation; everyone else gets 403 (401 without a token, unless public). */
  allowed: Who[];
  request: (ctx: Ctx) => { path: string; body?: unknown };
  /** Routes without a JWT: no token is not a 401. */
  public?: boolean;
}

const ROWS: Row[] = [
  { route: 'GET /health', allowed: EVERYONE, public: true, request: () => ({ path: '/health' }) },
  { route: 'GET /openapi.json', allowed: EVERYONE, public: true, request: () => ({ path: '/openapi.json' }) },
  { route: 'GET /members/me', allowed: SIGNED_IN, request: () => ({ path: '/members/me' }) },
  { route: 'GET /members', allowed: OFFICERS, request: () => ({ path: '/members?limit=1' }) },
  { route: 'POST /members', allowed: OFFICERS, request: () => ({ path: '/members', body: {} }) },
  {
    route: 'GET /members/{id}',
    allowed: ['self', 'officer', 'chair', 'admin'],
    request: (c) => ({ path: `/members/${c.selfMemberId}` }),
  },
  {
    route: 'POST /members/{id}/leave',
    allowed: ['self', 'officer', 'chair', 'admin'],
    request: (c) => ({ path: `/members/${c.selfMemberId}/leave`, body: { reason: 42 } }),
  },
  { route: 'GET /departments', allowed: OFFICERS, request: () => ({ path: '/departments' }) },
  {
    route: 'PUT /departments/{code}',
    allowed: ['chair', 'admin'],
    request: () => ({ path: '/departments/MATRIX', body: {} }),
  },
  {
    route: 'GET /invitations',
    allowed: EVERYONE,
    public: true,
    request: () => ({ path: '/invitations?member=x&token=y' }),
  },
  {
    route: 'POST /invitations/{id}/accept',
    allowed: EVERYONE,
    public: true,
    request: () => ({ path: '/invitations/NOSUCH/accept', body: { token: 'x' } }),
  },
  { route: 'POST /care/requests', allowed: OFFICERS, request: () => ({ path: '/care/requests', body: {} }) },
  { route: 'GET /care/requests', allowed: OFFICERS, request: () => ({ path: '/care/requests' }) },
  {
    route: 'POST /care/requests/{id}/{decision}',
    allowed: ['chair'],
    request: () => ({ path: '/care/requests/NOSUCH/approve', body: {} }),
  },
  {
    route: 'GET /care/ledger',
    allowed: [...OFFICERS, 'auditor'],
    request: () => ({ path: '/care/ledger?year=2026' }),
  },
  {
    route: 'GET /care/ledger.csv',
    allowed: [...OFFICERS, 'auditor'],
    request: () => ({ path: '/care/ledger.csv?year=2026' }),
  },
];

/** Proposals routes × roles × author/other: test/e2e/proposals-access.test.ts. */
const PROPOSALS_ROUTES_ELSEWHERE = [
  'POST /proposals',
  'GET /proposals',
  'GET /proposals/export.csv',
  'GET /proposals/{id}',
  'GET /proposals/{id}/history',
  'POST /proposals/{id}/{action}',
  'GET /reports/proposals',
];

const topologyRoutes = () =>
  functionNames.flatMap((name) =>
    (functionSpec(name).triggers as readonly Trigger[]).flatMap((t) =>
      t.kind === 'route' ? [`${t.method} ${t.path}`] : [],
    ),
  );

it('has a row for every route of the topology, and none for a route that does not exist', () => {
  const covered = [...ROWS.map((r) => r.route), ...PROPOSALS_ROUTES_ELSEWHERE].sort();
  expect(covered).toEqual([...topologyRoutes()].sort());
});

describe('every route × every role', () => {
  let tokens: Record<Exclude<Who, 'none'>, string>;
  let ctx: Ctx;

  beforeAll(async () => {
    const dept = uniqueId('MXD');
    const branch = uniqueId('MXB');
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
    const selfMember = await memberByEmployee(self);
    ctx = { selfMemberId: selfMember!.memberId as string, branch };
    tokens = {
      self: await token(self, 'member'),
      otherMember: await token(other, 'member'),
      delegate: await token(uniqueId('MXDL'), 'delegate'),
      committee: await token(uniqueId('MXC'), 'committee'),
      department: await token(uniqueId('MXDP'), 'department', { department: dept }),
      officer: await token(uniqueId('MXOF'), 'officer', { branch }),
      officerOther: await token(uniqueId('MXOO'), 'officer', { branch: `${branch}X` }),
      chair: await token(uniqueId('MXCH'), 'chair'),
      admin,
      auditor: await token(uniqueId('MXAU'), 'auditor'),
    };
  });

  it('lets exactly the allowed callers past authorisation', async () => {
    const mismatches: string[] = [];
    let cases = 0;
    for (const row of ROWS) {
      const [method] = row.route.split(' ') as [string];
      const { path, body } = row.request(ctx);
      for (const who of EVERYONE) {
        cases++;
        const res = await api(method, path, {
          ...(who === 'none' ? {} : { token: tokens[who] }),
          ...(body !== undefined ? { body } : {}),
        });
        const expected =
          who === 'none' && !row.public ? [401] : row.allowed.includes(who) ? 'allowed' : [403];
        const ok =
          expected === 'allowed'
            ? res.status !== 401 && res.status !== 403 && res.status < 500
            : expected.includes(res.status);
        if (!ok) mismatches.push(`${row.route} as ${who}: ${res.status}, expected ${expected}`);
      }
    }
    recordFigure({
      id: 'access.matrix',
      section: 'access',
      what: 'members, departments, care and invitation routes × 10 roles and no token, own and other member (the proposals routes: proposals-access.test.ts)',
      counts: { cases, mismatches: mismatches.length },
      command: 'npx vitest run test/e2e/access-matrix.test.ts',
    });
    expect(mismatches).toEqual([]);
  });

  it('changed nothing: the member the matrix aimed at is still a member', async () => {
    const me = await api('GET', '/members/me', { token: tokens.self });
    expect(me.status).toBe(200);
    expect(me.body.status).toBe('active');
  });
});
