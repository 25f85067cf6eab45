/**
 * The officers' and the chair's console, its backend end to end: the initial import from the
 * browser (300 rows in chunks of 100, 3 bad, re-run safe), a member's history and care, the
 * unknown departments, the dashboard, the policy versions' states, the report CSVs, and who may
 * read what.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { importMembers as importCsv } from '../../infra/cli/commands/members.ts';
import { dynamoTallyStore } from '../../shared/adapters/care-tally-dynamodb.ts';
import { compactTallies, TALLY_SETTLE_MS } from '../../shared/domain/care/tally.ts';
import { idTimePrefix } from '../../shared/domain/ids.ts';
import { IMPORT_COLUMNS } from '../../shared/domain/members/import-members.ts';
import {
  api,
  db,
  hiredEvent,
  hrEvent,
  mails,
  memberByEmployee,
  publish,
  runtime,
  token,
  uniqueId,
  waitIdle,
} from './support.ts';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const thisYear = () => Number(today().slice(0, 4));

/** Members of a branch as the branch index holds them (what GET /members pages through). */
const branchCount = async (branch: string) => {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: runtime().tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': `BRANCH#${branch}` },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
};

let chair: string;
let admin: string;
let auditor: string;
let officer: string;
let officerOther: string;
let dept: string;
let branch: string;
const run = uniqueId('CON');

/** 300 rows of the staff CSV, as the browser parses them: rows 5, 123 and 250 are bad. */
const rows = () =>
  Array.from({ length: 300 }, (_, i) => {
    const employeeId = `${run}${String(i).padStart(3, '0')}`;
    const row: Record<string, string | number> = {
      line: i + 2,
      employeeId,
      name: `导入${i}`,
      gender: i % 3 === 0 ? 'female' : 'male',
      birthDate: `19${80 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}`,
      email: `${employeeId.toLowerCase()}@example.edu.cn`,
      mobile: '',
      departmentCode: dept,
      departmentName: '导入测试学院',
      position: '讲师',
      category: 'teaching',
      employmentType: 'permanent',
      hireDate: '2019-09-01',
    };
    if (i === 3) row.email = 'not-an-email';
    if (i === 121) row.name = '';
    if (i === 248) row.gender = 'unknown';
    return row;
  });

const sendInChunks = async (who: string, all: Array<Record<string, unknown>>) => {
  const results = [];
  for (let i = 0; i < all.length; i += 100) {
    const res = await api('POST', '/members/import', { token: who, body: { rows: all.slice(i, i + 100) } });
    expect(res.status).toBe(200);
    results.push(...res.body.results);
  }
  return results as Array<{ line: number; outcome: string; employeeId: string | null; reasons?: unknown[] }>;
};

beforeAll(async () => {
  chair = await token(uniqueId('CONCH'), 'chair');
  admin = await token(uniqueId('CONAD'), 'admin');
  auditor = await token(uniqueId('CONAU'), 'auditor');
  dept = uniqueId('COND');
  branch = `B${dept}`;
  officer = await token(uniqueId('CONOF'), 'officer', { branch });
  officerOther = await token(uniqueId('CONOO'), 'officer', { branch: `${branch}X` });
  const mapped = await api('PUT', `/departments/${dept}`, {
    token: chair,
    body: { departmentName: '导入测试学院', branch: { code: branch, name: '导入测试分工会' } },
  });
  expect(mapped.status).toBe(200);
});

describe('the initial import from the browser', () => {
  it('offers the template to those who may import', async () => {
    const template = await api('GET', '/members/import/template.csv', { token: officer });
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toContain('text/csv');
    expect(String(template.body)).toBe(`${IMPORT_COLUMNS.join(',')}\r\n`);
    // A BOM first (fetch's text() drops it), so that spreadsheet programs read UTF-8.
    const raw = await fetch(`${runtime().apiUrl}/members/import/template.csv`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const member = await token(uniqueId('CONM'), 'member');
    expect((await api('GET', '/members/import/template.csv', { token: member })).status).toBe(403);
  });

  it('enrols 297 of 300 rows sent in chunks of 100, gives the 3 bad rows their reasons, and a re-run changes nothing', async () => {
    const all = rows();
    const first = await sendInChunks(officer, all);
    expect(first).toHaveLength(300);
    expect(first.map((r) => r.line)).toEqual(all.map((r) => r.line));
    const rejected = first.filter((r) => r.outcome === 'rejected');
    expect(rejected.map((r) => [r.line, r.reasons])).toEqual([
      [5, [{ field: 'email', message: expect.any(String) }]],
      [123, [{ field: 'name', message: expect.any(String) }]],
      [250, [{ field: 'gender', message: expect.any(String) }]],
    ]);
    expect(first.filter((r) => r.outcome === 'enrolled')).toHaveLength(297);
    await waitIdle();
    expect(await branchCount(branch)).toBe(297);
    const ours = async () =>
      (await mails()).filter((m) => m.to.some((to: string) => to.startsWith(run.toLowerCase()))).length;
    const welcomed = await ours();
    expect(welcomed).toBe(297);
    const m = await memberByEmployee(`${run}000`);
    expect(m).toMatchObject({ enrolled: true, status: 'active', branch: { code: branch } });
    expect(m!.history).toEqual([
      expect.objectContaining({ kind: 'status', status: 'active', on: '2019-09-01' }),
      expect.objectContaining({
        kind: 'placement',
        on: '2019-09-01',
        branch: { code: branch, name: '导入测试分工会' },
      }),
      expect.objectContaining({ kind: 'enrolled', reason: 'import' }),
    ]);

    const again = await sendInChunks(officer, all);
    expect(again.filter((r) => r.outcome === 'already_member')).toHaveLength(297);
    expect(again.filter((r) => r.outcome === 'rejected').map((r) => r.line)).toEqual([5, 123, 250]);
    await waitIdle();
    expect(await branchCount(branch)).toBe(297);
    expect(await ours()).toBe(welcomed);
    // Nothing was written to those already in: their version is as it was.
    expect((await memberByEmployee(`${run}000`))!.version).toBe(m!.version);
  });

  it('takes officers into their own branch only, refuses rows, not requests, and 403s members', async () => {
    const row = { ...rows()[0]!, employeeId: `${run}X1`, email: `${run.toLowerCase()}x1@example.edu.cn` };
    const other = await api('POST', '/members/import', { token: officerOther, body: { rows: [row] } });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ enrolled: 0, rejected: 1 });
    expect(other.body.results[0].reasons[0].field).toBe('departmentCode');
    const member = await token(uniqueId('CONM'), 'member');
    expect((await api('POST', '/members/import', { token: member, body: { rows: [row] } })).status).toBe(403);
    // Not a chunk: 400 naming the field; more than 100 rows: 400.
    const bad = await api('POST', '/members/import', { token: officer, body: { rows: [{ line: 1 }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('rows.0.line');
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ line: i + 2 }));
    expect((await api('POST', '/members/import', { token: admin, body: { rows: tooMany } })).status).toBe(
      400,
    );
    // A row repeated in one chunk: the second is refused, naming the first.
    const twice = await api('POST', '/members/import', {
      token: admin,
      body: { rows: [row, { ...row, line: 9 }] },
    });
    expect(twice.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['enrolled', 'rejected']);
    expect(twice.body.results[1].reasons[0].message).toContain('line 2');
  });

  it('runs the same use case from `gonghui members import`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gonghui-import-'));
    const file = join(dir, 'staff.csv');
    const people = rows()
      .slice(290)
      .map(
        (r): Record<string, string | number> => ({
          ...r,
          employeeId: `${run}C${r.line}`,
          email: `${run.toLowerCase()}c${r.line}@example.edu.cn`,
        }),
      );
    writeFileSync(
      file,
      `\uFEFF${IMPORT_COLUMNS.join(',')}\n${people.map((p) => IMPORT_COLUMNS.map((c) => p[c]).join(',')).join('\n')}\n`,
    );
    const first = await importCsv(file, {});
    expect(first).toMatchObject({ rows: 10, enrolled: 10, alreadyMembers: 0, rejected: [] });
    expect(await importCsv(file, {})).toMatchObject({
      rows: 10,
      enrolled: 0,
      alreadyMembers: 10,
      rejected: [],
    });
    await waitIdle();
  });
});

describe("a member's page", () => {
  let employeeId: string;
  let memberId: string;

  beforeAll(async () => {
    employeeId = uniqueId('CONH');
    await publish([
      hiredEvent(employeeId, {
        department: { code: dept, name: '导入测试学院' },
        occurredAt: '2026-03-01T09:00:00+08:00',
        hireDate: '2026-03-01',
      }),
    ]);
    await waitIdle();
    memberId = (await memberByEmployee(employeeId))!.memberId as string;
  });

  it('shows the history of status and placement, HR’s and the union’s own', async () => {
    await publish([
      hrEvent('EmployeeTransferred', {
        eventId: `${employeeId}-t`,
        occurredAt: '2026-06-01T09:00:00+08:00',
        employeeId,
        department: { code: `${dept}U`, name: '未对应学院' },
        effectiveDate: '2026-06-01',
      }),
    ]);
    await waitIdle();
    const self = await token(employeeId, 'member');
    const left = await api('POST', `/members/${memberId}/leave`, {
      token: self,
      body: { reason: '个人原因' },
    });
    expect(left.status).toBe(200);
    // The member moved to the school union: the officer of the branch they left no longer sees them.
    expect((await api('GET', `/members/${memberId}/history`, { token: officer })).status).toBe(403);
    const h = await api('GET', `/members/${memberId}/history`, { token: self });
    expect(h.status).toBe(200);
    expect(
      h.body.items.map((e: { kind: string; on: string; status: string | null }) => [e.kind, e.on, e.status]),
    ).toEqual([
      ['status', '2026-03-01', 'active'],
      ['placement', '2026-03-01', null],
      ['enrolled', '2026-03-01', null],
      ['placement', '2026-06-01', null],
      ['status', expect.any(String), 'left'],
    ]);
    expect(h.body.items[3]).toMatchObject({ department: { code: `${dept}U` }, branch: { code: 'SCHOOL' } });
    expect(h.body.items[4]).toMatchObject({ reason: 'withdrew' });
    expect(h.body.current).toMatchObject({ status: 'left', placementSince: '2026-06-01' });
    expect((await api('GET', `/members/${memberId}/history`, { token: chair })).status).toBe(200);
    expect((await api('GET', `/members/${memberId}/history`, { token: auditor })).status).toBe(403);
    expect((await api('GET', '/members/NOSUCH/history', { token: chair })).status).toBe(404);
  });

  it('flags the departments no mapping covers, with how many members sit under the school union', async () => {
    const other = uniqueId('CONX');
    await publish([hiredEvent(other, { department: { code: `${dept}U`, name: '未对应学院' } })]);
    await waitIdle();
    const d = await api('GET', '/departments', { token: officer });
    expect(d.status).toBe(200);
    expect(d.body.unknownDepartments).toContainEqual({
      code: `${dept}U`,
      name: '未对应学院',
      members: 1,
      mapped: false,
    });
    expect(d.body.items.some((i: { departmentCode: string }) => i.departmentCode === dept)).toBe(true);
  });

  it('finds members by 工号 and membership number as well as by name', async () => {
    const id = `${run}007`;
    const byId = await api('GET', `/members?branch=${branch}&q=${id}`, { token: officer });
    expect(byId.body.items.map((m: { employeeId: string }) => m.employeeId)).toContain(id);
    const number = (await memberByEmployee(id))!.membershipNumber as string;
    const byNumber = await api('GET', `/members?branch=${branch}&q=${number.slice(-6)}&limit=200`, {
      token: officer,
    });
    expect(byNumber.body.items.map((m: { employeeId: string }) => m.employeeId)).toContain(id);
  });
});

describe('care received, and the care settings as the page reads them', () => {
  let memberId: string;
  let employeeId: string;

  beforeAll(async () => {
    employeeId = `${run}010`;
    memberId = (await memberByEmployee(employeeId))!.memberId as string;
    const reported = await api('POST', '/care/requests', {
      token: officer,
      body: { memberId, kind: 'hospital', date: today(), note: '住院' },
    });
    expect(reported.status).toBe(201);
    const listed = await api('GET', '/care/requests?status=pending', { token: officer });
    expect(listed.body.items.find((r: { id: string }) => r.id === reported.body.id)).toMatchObject({
      member: { name: '导入10', membershipNumber: expect.stringMatching(/^GLU-/) },
    });
    expect(
      (await api('POST', `/care/requests/${reported.body.id}/approve`, { token: chair, body: {} })).status,
    ).toBe(200);
    await waitIdle();
  });

  it("shows a member's care of the year with the totals against the caps, to those who may see it", async () => {
    const self = await token(employeeId, 'member');
    const c = await api('GET', `/members/${memberId}/care`, { token: self });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ memberId, year: thisYear(), totalFen: 100_000 });
    expect(c.body.entries).toEqual([
      expect.objectContaining({
        occasionName: '住院慰问',
        category: 'life',
        amountFen: 100_000,
        reason: 'full',
      }),
    ]);
    expect(c.body.totals.find((t: { category: string }) => t.category === 'life')).toEqual({
      category: 'life',
      spentFen: 100_000,
      capFen: 600_000,
      remainingFen: 500_000,
    });
    for (const [who, status] of [
      [officer, 200],
      [chair, 200],
      [admin, 200],
      [auditor, 200],
      [officerOther, 403],
      [await token(`${run}011`, 'member'), 403],
    ] as const)
      expect((await api('GET', `/members/${memberId}/care`, { token: who })).status).toBe(status);
    expect((await api('GET', `/members/${memberId}/care?year=2020`, { token: self })).body.entries).toEqual(
      [],
    );
    expect((await api('GET', `/members/${memberId}/care?year=20`, { token: self })).status).toBe(400);
  });

  it('says which policy versions are the past (read-only) and which may still be replaced', async () => {
    const added = await api('PUT', '/care/policy', { token: chair, body: { effectiveFrom: '2099-01-01' } });
    expect(added.status).toBe(200);
    const p = await api('GET', '/care/policy', { token: chair });
    expect(p.body.today).toBe(today());
    const v = p.body.versions.find((x: { effectiveFrom: string }) => x.effectiveFrom === '2099-01-01');
    expect(v).toMatchObject({ state: 'scheduled', editable: true });
    for (const x of p.body.versions as Array<{ effectiveFrom: string; editable: boolean; state: string }>) {
      expect(x.editable).toBe(x.effectiveFrom >= today());
      if (x.effectiveFrom > today()) expect(x.state).toBe('scheduled');
      else expect(['in_force', 'superseded']).toContain(x.state);
    }
  });
});

describe('the dashboard', () => {
  it("gives the chair the union's year: members, care against the caps, holidays and whom they reach", async () => {
    const d = await api('GET', `/reports/dashboard?branch=${branch}`, { token: chair });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ year: thisYear(), today: today(), scope: { branch } });
    // 297 from the browser's import, 1 from a chunk of two, 10 from the CLI; the member who
    // left moved to the school union first.
    const members = 297 + 1 + 10;
    expect(d.body.members.byBranch).toEqual([
      {
        branch: { code: branch, name: '导入测试分工会' },
        total: members,
        byStatus: expect.objectContaining({ active: members }),
      },
    ]);
    const life = d.body.care.categories.find((c: { category: string }) => c.category === 'life');
    expect(life).toMatchObject({
      spentFen: 100_000,
      grants: 1,
      capFen: 600_000,
      ceilingFen: 600_000 * members,
    });
    const month = today().slice(5, 7);
    expect(d.body.care.byMonth.find((m: { month: string }) => m.month === month)).toMatchObject({
      lifeFen: 100_000,
    });
    expect(d.body.care.byOccasion).toEqual([
      { occasion: 'hospital', name: '住院慰问', category: 'life', spentFen: 100_000, grants: 1 },
    ]);
    expect(d.body.holidays.length).toBeGreaterThan(0);
    // Women: every third row but the bad row 5 (99), the copy of row 2 (1), rows 293, 296, 299 of the CLI's (3).
    const women = 99 + 1 + 3;
    for (const h of d.body.holidays as Array<{
      audience: string;
      reach: number;
      enabled: boolean;
      dispatchDate: string;
    }>) {
      expect(h.dispatchDate >= today()).toBe(true);
      if (!h.enabled) continue;
      const expected = h.audience === 'all' ? members : h.audience === 'women' ? women : 0;
      expect(h.reach, h.audience).toBe(expected);
    }
    // compact-tallies rolls the tallies up (here as it would ten minutes on): the figures stay.
    await compactTallies(thisYear(), {
      store: dynamoTallyStore(db(), runtime().tableName),
      now: () => new Date(Date.now() + TALLY_SETTLE_MS + 60_000),
      idBefore: idTimePrefix,
    });
    const rolled = await api('GET', `/reports/dashboard?branch=${branch}`, { token: chair });
    expect(rolled.body.care).toEqual(d.body.care);
    expect(d.body.proposals).toMatchObject({ session: expect.any(String), total: expect.any(Number) });
    expect(d.body.letters).toMatchObject({ unanswered: expect.any(Number) });
  });

  it('gives officers their branch only, without proposals and letters; members 403', async () => {
    const d = await api('GET', '/reports/dashboard', { token: officer });
    expect(d.status).toBe(200);
    expect(d.body.scope).toEqual({ branch });
    expect(d.body.members.byBranch.map((b: { branch: { code: string } }) => b.branch.code)).toEqual([branch]);
    expect(d.body.proposals).toBeNull();
    expect(d.body.letters).toBeNull();
    expect((await api('GET', `/reports/dashboard?branch=${branch}X`, { token: officer })).status).toBe(403);
    expect(
      (await api('GET', '/reports/dashboard', { token: await token(uniqueId('CONM'), 'member') })).status,
    ).toBe(403);
    expect((await api('GET', '/reports/dashboard?year=abc', { token: chair })).status).toBe(400);
    const wide = await api('GET', '/reports/dashboard', { token: auditor });
    expect(wide.status).toBe(200);
    expect(wide.body.members.byBranch.length).toBeGreaterThan(1);
  });

  it('counts the letters waiting for a first answer', async () => {
    const writer = await token(`${run}020`, 'member');
    const letter = await api('POST', '/letters', {
      token: writer,
      body: { subject: '工作台', text: '内容', category: '其他' },
    });
    expect(letter.status).toBe(201);
    const d = await api('GET', `/reports/dashboard?branch=${branch}`, { token: chair });
    expect(d.body.letters.items).toContainEqual(
      expect.objectContaining({ id: letter.body.id, daysWaiting: 0, chairOnly: false, delegated: false }),
    );
    expect(d.body.letters.byAge[0].count).toBeGreaterThan(0);
  });
});

describe('reports as CSV', () => {
  it('writes the proposals report per department and the letters report per category', async () => {
    const p = await api('GET', '/reports/proposals.csv?session=2026', { token: auditor });
    expect(p.status).toBe(200);
    expect(p.headers.get('content-type')).toContain('text/csv');
    const lines = String(p.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('承办单位_department');
    expect(lines.at(-1)).toContain('合计 total');
    const l = await api('GET', `/reports/letters.csv?year=${thisYear()}`, { token: chair });
    expect(l.status).toBe(200);
    const rowsOut = String(l.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(rowsOut).toHaveLength(1 + 5 + 1);
    expect(rowsOut[0]).toContain('类别_category');
    expect((await api('GET', '/reports/letters.csv?year=2026', { token: officer })).status).toBe(403);
    const report = await api('GET', '/reports/proposals?session=2026', { token: auditor });
    expect(report.status).toBe(200);
    expect(Array.isArray(report.body.byDepartment)).toBe(true);
  });
});
